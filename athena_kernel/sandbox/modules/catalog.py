"""The catalogue of curated modules: for each importable module, the names a cell gets.

Names are listed explicitly (reviewed, not discovered), so a new attribute in a future Python
version does not silently become reachable. Each name is looked up on the real module when the
proxy is built; a few are replaced by the wrappers in :mod:`.wrappers`. Modules in
:data:`NEVER_ALLOWED` are refused even when configuration allows them.
"""

from __future__ import annotations

import importlib
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import numeric, wrappers
from .context import WrapContext

#: Curated modules importable whatever ``allowed_modules`` says: notebook basics whose curated
#: versions are harmless (``print(..., file=sys.stderr)``, ``from IPython.display import HTML``).
ALWAYS_AVAILABLE: frozenset[str] = frozenset({"sys", "IPython"})

#: Modules no configuration can allow: they are the way out of the sandbox.
NEVER_ALLOWED: frozenset[str] = frozenset(
    [
        "os",
        "posix",
        "nt",
        "subprocess",
        "socket",
        "ssl",
        "signal",
        "threading",
        "_thread",
        "multiprocessing",
        "concurrent",
        "asyncio",
        "ctypes",
        "importlib",
        "inspect",
        "gc",
        "pickle",
        "marshal",
        "shelve",
        "dbm",
        "builtins",
        "shutil",
        "pathlib",
        "io",
        "tempfile",
        "glob",
        "code",
        "codeop",
        "pdb",
        "bdb",
        "runpy",
        "pty",
        "tty",
        "fcntl",
        "resource",
        "mmap",
        "select",
        "selectors",
        "sysconfig",
        "site",
        "webbrowser",
        "urllib",
        "http",
        "ftplib",
        "smtplib",
        "telnetlib",
        "xmlrpc",
        "zipimport",
        "pkgutil",
        "typing",
        "typing_extensions",
        "weakref",
        "traceback",
        "linecache",
        "tracemalloc",
        "faulthandler",
        "atexit",
        "platform",
        "getpass",
        "pwd",
        "grp",
        "posixpath",
        "ntpath",
        "genericpath",
        "ipykernel",
        "jupyter_client",
        "jupyter_core",
        "traitlets",
        "zmq",
        "tornado",
        "athena_kernel",
        "duckdb",
        "sqlite3",
        "RestrictedPython",
        "pydantic",
        "pydantic_core",
    ]
)


@dataclass(frozen=True)
class ModuleSpec:
    """One curated module: names taken as they are, replaced names, and curated submodules."""

    name: str
    names: tuple[str, ...] = ()
    wrapped: Callable[[WrapContext], Mapping[str, Any]] | None = None
    wrapped_names: tuple[str, ...] = ()
    submodules: tuple[str, ...] = ()
    #: Take every public attribute of these real modules that is not a module (pure C modules).
    all_public: bool = False
    exclude: frozenset[str] = field(default_factory=frozenset)
    #: May a cell derive its own classes from the classes this module exports?
    subclassable: bool = True

    def exported_names(self) -> frozenset[str]:
        """Every name the proxy will have (without importing anything when not needed)."""
        names = set(self.names) | set(self.wrapped_names) | set(self.submodules)
        if self.all_public:
            module = importlib.import_module(self.name)
            names |= {n for n in _public_names(module) if n not in self.exclude}
        return frozenset(names)

    def build(self, ctx: WrapContext) -> dict[str, Any]:
        """name -> object for the proxy (submodule proxies are added by the runtime)."""
        module = importlib.import_module(self.name)
        exports: dict[str, Any] = {}
        names = list(self.names)
        if self.all_public:
            names += [n for n in _public_names(module) if n not in self.exclude]
        for name in names:
            if hasattr(module, name):
                value = getattr(module, name)
                if isinstance(value, types.ModuleType):
                    raise RuntimeError(f"catalogue error: {self.name}.{name} is a module")
                exports[name] = value
        if self.wrapped is not None:
            exports.update(self.wrapped(ctx))
        return exports


def _public_names(module: types.ModuleType) -> list[str]:
    return [
        n
        for n in dir(module)
        if not n.startswith("_") and not isinstance(getattr(module, n), types.ModuleType)
    ]


def _spec(name: str, names: str, **kwargs: Any) -> ModuleSpec:
    return ModuleSpec(name, tuple(names.split()), **kwargs)


_SPECS = [
    _spec(
        "math",
        "",
        all_public=True,
        wrapped=numeric.math_functions,
        wrapped_names=("factorial", "comb", "perm", "prod", "lcm", "gcd", "isqrt"),
    ),
    _spec("cmath", "", all_public=True),
    _spec(
        "statistics",
        """NormalDist StatisticsError correlation covariance fmean geometric_mean harmonic_mean
        linear_regression mean median median_grouped median_high median_low mode multimode pstdev
        pvariance quantiles stdev variance""",
    ),
    _spec("json", "dumps loads dump load JSONEncoder JSONDecoder JSONDecodeError"),
    _spec(
        "re",
        """escape purge error Pattern Match RegexFlag NOFLAG A ASCII I IGNORECASE L LOCALE M
        MULTILINE S DOTALL U UNICODE X VERBOSE""",
        wrapped=wrappers.re_functions,
        wrapped_names=(
            "compile",
            "search",
            "match",
            "fullmatch",
            "split",
            "findall",
            "finditer",
            "sub",
            "subn",
        ),
    ),
    _spec("datetime", "date datetime time timedelta timezone tzinfo MINYEAR MAXYEAR UTC"),
    _spec(
        "time",
        """time time_ns monotonic monotonic_ns perf_counter perf_counter_ns process_time
        process_time_ns thread_time thread_time_ns sleep strftime strptime gmtime localtime mktime
        asctime ctime struct_time timezone altzone daylight tzname get_clock_info""",
    ),
    _spec(
        "collections",
        "namedtuple deque defaultdict OrderedDict Counter ChainMap UserDict UserList UserString",
        submodules=("abc",),
    ),
    _spec(
        "collections.abc",
        """Awaitable Coroutine AsyncIterable AsyncIterator AsyncGenerator Hashable Iterable
        Iterator Generator Reversible Sized Container Callable Collection Set MutableSet Mapping
        MutableMapping MappingView KeysView ItemsView ValuesView Sequence MutableSequence
        ByteString Buffer""",
    ),
    _spec(
        "itertools",
        """accumulate batched chain compress dropwhile filterfalse groupby islice pairwise
        starmap takewhile tee zip_longest""",
        wrapped=wrappers.itertools_functions,
        wrapped_names=(
            "count",
            "cycle",
            "repeat",
            "product",
            "permutations",
            "combinations",
            "combinations_with_replacement",
        ),
    ),
    _spec(
        "functools",
        "reduce partial partialmethod lru_cache cache cached_property cmp_to_key",
        wrapped=wrappers.functools_functions,
        wrapped_names=("total_ordering",),
    ),
    _spec(
        "operator",
        """abs add and_ concat contains countOf eq ge getitem gt iadd iand iconcat imatmul index
        indexOf inv invert ior irshift is_ is_not isub itemgetter itruediv ixor le length_hint
        lt matmul ne neg not_ or_ pos rshift sub truediv truth xor call""",
        wrapped=wrappers.operator_functions,
        wrapped_names=(
            "pow",
            "mul",
            "lshift",
            "floordiv",
            "mod",
            "ipow",
            "imul",
            "ilshift",
            "ifloordiv",
            "imod",
            "setitem",
            "delitem",
        ),
    ),
    _spec(
        "random",
        """Random SystemRandom betavariate choice choices expovariate gammavariate gauss
        getrandbits getstate lognormvariate normalvariate paretovariate randbytes randint random
        randrange sample seed setstate shuffle triangular uniform vonmisesvariate weibullvariate""",
    ),
    _spec(
        "decimal",
        """getcontext DecimalException Clamped DivisionByZero Inexact InvalidOperation Overflow
        Rounded Subnormal Underflow FloatOperation DivisionImpossible DivisionUndefined
        ConversionSyntax InvalidContext ROUND_DOWN ROUND_HALF_UP ROUND_HALF_EVEN ROUND_CEILING
        ROUND_FLOOR ROUND_UP ROUND_HALF_DOWN ROUND_05UP MAX_PREC MAX_EMAX MIN_EMIN MIN_ETINY
        HAVE_THREADS HAVE_CONTEXTVAR""",
        wrapped=numeric.decimal_functions,
        wrapped_names=(
            "Decimal",
            "Context",
            "localcontext",
            "setcontext",
            "BasicContext",
            "ExtendedContext",
            "DefaultContext",
        ),
    ),
    _spec("fractions", "", wrapped=numeric.fractions_functions, wrapped_names=("Fraction",)),
    _spec("textwrap", "wrap fill shorten dedent indent TextWrapper"),
    _spec(
        "string",
        """ascii_letters ascii_lowercase ascii_uppercase digits hexdigits octdigits punctuation
        printable whitespace capwords Template""",
    ),
    _spec(
        "heapq",
        "heappush heappop heapify heapreplace heappushpop merge nlargest nsmallest",
    ),
    _spec("bisect", "bisect bisect_left bisect_right insort insort_left insort_right"),
    _spec(
        "uuid",
        """UUID uuid3 uuid4 uuid5 NAMESPACE_DNS NAMESPACE_URL NAMESPACE_OID NAMESPACE_X500
        SafeUUID RESERVED_NCS RFC_4122 RESERVED_MICROSOFT RESERVED_FUTURE""",
    ),
    _spec(
        "hashlib",
        """md5 sha1 sha224 sha256 sha384 sha512 sha3_224 sha3_256 sha3_384 sha3_512 shake_128
        shake_256 blake2b blake2s new""",
        wrapped=wrappers.hashlib_functions,
        wrapped_names=("pbkdf2_hmac", "algorithms_available", "algorithms_guaranteed"),
    ),
    _spec(
        "base64",
        """b64encode b64decode standard_b64encode standard_b64decode urlsafe_b64encode
        urlsafe_b64decode b32encode b32decode b32hexencode b32hexdecode b16encode b16decode
        b85encode b85decode a85encode a85decode encodebytes decodebytes""",
    ),
    _spec(
        "dataclasses",
        """field fields asdict astuple make_dataclass replace is_dataclass FrozenInstanceError
        InitVar MISSING KW_ONLY""",
        wrapped=wrappers.dataclasses_functions,
        wrapped_names=("dataclass",),
    ),
    _spec(
        "enum",
        """Enum IntEnum Flag IntFlag StrEnum ReprEnum auto unique member nonmember verify
        EnumCheck CONTINUOUS NAMED_FLAGS UNIQUE FlagBoundary STRICT CONFORM EJECT KEEP""",
    ),
    _spec("copy", "Error", wrapped=wrappers.copy_functions, wrapped_names=("copy", "deepcopy")),
    _spec("pprint", "pprint pformat pp PrettyPrinter isreadable isrecursive saferepr"),
    _spec(
        "difflib",
        """SequenceMatcher Differ HtmlDiff get_close_matches ndiff unified_diff context_diff
        diff_bytes restore IS_LINE_JUNK IS_CHARACTER_JUNK Match""",
    ),
    _spec("unicodedata", "", all_public=True),
    _spec(
        "csv",
        """reader writer DictReader DictWriter Sniffer Dialect excel excel_tab unix_dialect
        QUOTE_ALL QUOTE_MINIMAL QUOTE_NONE QUOTE_NONNUMERIC Error register_dialect
        unregister_dialect get_dialect list_dialects field_size_limit""",
    ),
    _spec("zoneinfo", "ZoneInfo ZoneInfoNotFoundError available_timezones"),
    _spec(
        "calendar",
        """Calendar TextCalendar HTMLCalendar isleap leapdays weekday monthrange monthcalendar
        month month_name month_abbr day_name day_abbr calendar firstweekday setfirstweekday
        timegm weekheader MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY
        IllegalMonthError IllegalWeekdayError""",
    ),
    _spec("numbers", "Number Complex Real Rational Integral"),
    _spec(
        "sys",
        """version version_info hexversion maxsize maxunicode byteorder float_info int_info
        hash_info platform getrecursionlimit getsizeof getdefaultencoding""",
        wrapped=wrappers.sys_functions,
        wrapped_names=("stdout", "stderr"),
        subclassable=False,
    ),
    _spec("IPython", "", submodules=("display",), subclassable=False),
    _spec(
        "IPython.display",
        """display clear_output update_display display_html display_markdown display_json
        display_latex display_svg display_png display_jpeg display_pretty publish_display_data
        DisplayHandle""",
        wrapped=wrappers.ipython_display_functions,
        wrapped_names=(
            "HTML",
            "Markdown",
            "Latex",
            "Math",
            "JSON",
            "SVG",
            "Pretty",
            "Image",
            "Code",
        ),
        subclassable=False,
    ),
]

#: Every curated module by dotted name.
CATALOG: dict[str, ModuleSpec] = {spec.name: spec for spec in _SPECS}


def is_never_allowed(module: str) -> bool:
    """Is ``module`` (or its top-level package) one no configuration can allow?"""
    root = module.split(".", 1)[0]
    return root in NEVER_ALLOWED or root.startswith("_") or module in NEVER_ALLOWED


def exported_names(module: str) -> frozenset[str] | None:
    """The names ``module``'s proxy exposes, or ``None`` if it is not catalogued."""
    spec = CATALOG.get(module)
    return spec.exported_names() if spec is not None else None


def submodule_names(module: str) -> frozenset[str]:
    """Curated submodules of ``module`` (``collections`` -> ``{"abc"}``)."""
    spec = CATALOG.get(module)
    return frozenset(spec.submodules) if spec is not None else frozenset()
