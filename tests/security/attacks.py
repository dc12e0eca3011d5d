"""The attack corpus, grouped by technique.

Each attack is a cell. Placeholders: ``{mark}`` is an expression that evaluates to the marker
string (built at run time, so tracebacks that quote the source never contain the marker);
``{canary}`` is the path of a file whose secret must never reach the client; ``{target}`` is a
path in a world-writable directory where a file must never appear. An attack prints the marker
only after it obtained something real (a module, a frame, function globals, the builtins, a
file's content), so the marker reaching the client is an escape whatever else happened.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attack:
    """One attack cell."""

    technique: str
    name: str
    code: str
    slow: bool = False  #: runs into the time limit on purpose


def _group(technique: str, cells: dict[str, str], *, slow: bool = False) -> list[Attack]:
    return [Attack(technique, name, code, slow) for name, code in cells.items()]


DUNDER_TRAVERSAL = _group(
    "dunder traversal",
    {
        "tuple_class_bases_subclasses": "x = ().__class__.__bases__[0].__subclasses__()\nprint({mark}, len(x))",
        "list_mro_subclasses": "x = [].__class__.__mro__[-1].__subclasses__()\nprint({mark}, len(x))",
        "object_subclasses": "x = object.__subclasses__()\nprint({mark}, len(x))",
        "type_subclasses_object": "x = type.__subclasses__(object)\nprint({mark}, len(x))",
        "str_base_subclasses": "x = ''.__class__.__base__.__subclasses__()\nprint({mark}, x[0])",
        "getattr_concat_class": "c = getattr((), '__cla' + 'ss__')\nprint({mark}, c)",
        "getattr_nested": "b = getattr(getattr((), '__class__'), '__base__')\nprint({mark}, b)",
        "vars_object": "d = vars(object)\nprint({mark}, list(d)[:3])",
        "object_dict": "d = object.__dict__\nprint({mark}, len(d))",
        "type_of_tuple_base": "b = type(()).__base__\nprint({mark}, b.__subclasses__())",
        "type_mro_call": "m = type.__mro__\nprint({mark}, m)",
        "dict_class_subclasses": "s = {}.__class__.__subclasses__()\nprint({mark}, s)",
        "lambda_class": "c = (lambda: 0).__class__\nprint({mark}, c.__mro__[-1].__subclasses__())",
        "super_type_subclasses": "s = super(type, type).__subclasses__\nprint({mark}, s())",
        "warnings_catch_builtins": (
            "for c in ().__class__.__base__.__subclasses__():\n"
            "    if c.__name__ == 'catch_warnings':\n"
            "        b = c()._module.__builtins__\n"
            "        print({mark}, b['__import__']('os').getpid())"
        ),
        "bound_method_self_class": "c = [].append.__self__.__class__.__base__\nprint({mark}, c.__subclasses__())",
        "int_real_class": "c = (1).real.__class__.__mro__\nprint({mark}, c)",
        "exception_class_chain": (
            "try:\n    1/0\nexcept Exception as e:\n"
            "    print({mark}, e.__class__.__base__.__base__.__subclasses__())"
        ),
    },
)

FRAMES = _group(
    "frame and generator introspection",
    {
        "generator_gi_frame": "g = (x for x in [1])\nprint({mark}, g.gi_frame.f_back.f_globals)",
        "generator_gi_code": "g = (x for x in [1])\nprint({mark}, g.gi_code.co_consts)",
        "coroutine_cr_frame": "async def c():\n    pass\nco = c()\nprint({mark}, co.cr_frame)",
        "async_gen_frame": "async def a():\n    yield 1\nprint({mark}, a().ag_frame)",
        "traceback_tb_frame": (
            "try:\n    1/0\nexcept Exception as e:\n    f = e.__traceback__.tb_frame\n"
            "    print({mark}, f.f_back.f_globals.keys())"
        ),
        "traceback_via_getattr": (
            "try:\n    1/0\nexcept Exception as e:\n    t = getattr(e, '__trace' + 'back__')\n"
            "    print({mark}, t)"
        ),
        "function_globals": "def f():\n    pass\nprint({mark}, f.__globals__['__builtins__'])",
        "function_code_consts": "def f():\n    return 'x'\nprint({mark}, f.__code__.co_consts)",
        "closure_cells": (
            "def outer():\n    secret = 1\n    def inner():\n        return secret\n    return inner\n"
            "print({mark}, outer().__closure__[0].cell_contents)"
        ),
        "sys_getframe": "import sys\nprint({mark}, sys._getframe(1).f_globals)",
        "sys_exc_info_frame": (
            "import sys\ntry:\n    1/0\nexcept Exception:\n"
            "    print({mark}, sys.exc_info()[2].tb_frame)"
        ),
        "import_inspect": "import inspect\nprint({mark}, inspect.currentframe())",
        "import_traceback": "import traceback\nprint({mark}, traceback.extract_stack())",
        "generator_frame_via_send": (
            "def g():\n    yield 1\nx = g()\nnext(x)\nf = getattr(x, 'gi_' + 'frame')\n"
            "print({mark}, f.f_locals)"
        ),
        "exception_context_frame": (
            "try:\n    try:\n        1/0\n    except Exception:\n        raise ValueError()\n"
            "except Exception as e:\n    print({mark}, e.__context__.__traceback__)"
        ),
    },
)

FORMAT_STRINGS = _group(
    "format-string attribute access",
    {
        "format_class": 'print({mark}, "{0.__class__}".format(1))',
        "format_globals": 'def f():\n    pass\nprint({mark}, "{0.__globals__}".format(f))',
        "format_init_globals": (
            "class A:\n    def __init__(self):\n        pass\n"
            'print({mark}, "{0.__init__.__globals__}".format(A()))'
        ),
        "format_gi_frame": 'g = (x for x in [1])\nprint({mark}, "{0.gi_frame}".format(g))',
        "format_keyword": 'print({mark}, "{a.__class__.__mro__}".format(a=1))',
        "format_method_reference": 'f = "{0.__class__.__base__}".format\nprint({mark}, f(1))',
        "str_format_unbound": 'print({mark}, str.format("{0.__class__.__mro__}", 1))',
        "format_index_chain": 'print({mark}, "{0[0].__class__}".format([1]))',
        "fstring_dunder": "x = 1\nprint({mark}, f'{{x.__class__.__base__.__subclasses__()}}')",
        "string_formatter": (
            "import string\nprint({mark}, string.Formatter().format('{0.__class__}', 1))"
        ),
        "format_spec_dunder": 'print({mark}, format(1, "{0.__class__}"))',
        "percent_format_repr": "print({mark} if '%r' % (object,) == 'x' else 'no')",
    },
)

FORMAT_MAP = _group(
    "str.format_map",
    {
        "format_map_class": 'print({mark}, "{a.__class__}".format_map({{"a": 1}}))',
        "format_map_globals": (
            'def f():\n    pass\nprint({mark}, "{f.__globals__}".format_map({{"f": f}}))'
        ),
        "format_map_custom_mapping": (
            "class M(dict):\n    def __missing__(self, key):\n        return key\n"
            'print({mark}, "{x.__class__}".format_map(M()))'
        ),
        "format_map_method": 'fm = "{a.__class__.__mro__}".format_map\nprint({mark}, fm({{"a": 1}}))',
        "format_map_memory": 'print({mark}, "{m._backend}".format_map({{"m": memory}}))',
    },
)

DECORATORS_AND_CLASSES = _group(
    "decorators and class bodies",
    {
        "decorator_leaks_globals": (
            "def leak(f):\n    print({mark}, f.__globals__)\n    return f\n"
            "@leak\ndef g():\n    pass"
        ),
        "class_body_builtins": "class A:\n    b = __builtins__\nprint({mark}, A.b)",
        "init_subclass_hook": (
            "class Base:\n    def __init_subclass__(cls, **kw):\n"
            "        print({mark}, cls.__mro__)\nclass Child(Base):\n    pass"
        ),
        "set_name_hook": (
            "class D:\n    def __set_name__(self, owner, name):\n"
            "        print({mark}, owner.__dict__)\nclass A:\n    d = D()"
        ),
        "class_getitem_hook": (
            "class A:\n    def __class_getitem__(cls, item):\n        return cls.__mro__\n"
            "print({mark}, A[int])"
        ),
        "descriptor_get_owner": (
            "class D:\n    def __get__(self, obj, owner):\n        return owner.__subclasses__()\n"
            "class A:\n    d = D()\nprint({mark}, A.d)"
        ),
        "getattribute_override": (
            "class A:\n    def __getattribute__(self, name):\n"
            "        return object.__getattribute__(self, '__class__')\nprint({mark}, A().x)"
        ),
        "property_fget_globals": (
            "class A:\n    @property\n    def p(self):\n        return 1\n"
            "print({mark}, A.p.fget.__globals__)"
        ),
        "classmethod_func": (
            "class A:\n    @classmethod\n    def m(cls):\n        pass\nprint({mark}, A.m.__func__)"
        ),
        "class_dict_mutation": "class A:\n    pass\nA.__dict__['x'] = 1\nprint({mark})",
        "class_bases_rewrite": "class A:\n    pass\nA.__bases__ = (object,)\nprint({mark})",
        "subclass_memory_facade": ("class Mine(type(memory)):\n    pass\nprint({mark}, Mine)"),
    },
)

METACLASSES = _group(
    "metaclasses",
    {
        "metaclass_call": (
            "class M(type):\n    def __call__(cls, *a):\n        return cls.__subclasses__()\n"
            "class A(metaclass=M):\n    pass\nprint({mark}, A())"
        ),
        "metaclass_prepare": (
            "class M(type):\n    @classmethod\n    def __prepare__(mcs, name, bases):\n"
            "        return {{'leak': __builtins__}}\nclass A(metaclass=M):\n    pass\n"
            "print({mark}, A.leak)"
        ),
        "metaclass_new_namespace": (
            "class M(type):\n    def __new__(mcs, name, bases, ns):\n"
            "        print({mark}, ns)\n        return super().__new__(mcs, name, bases, ns)\n"
            "class A(metaclass=M):\n    pass"
        ),
        "metaclass_instancecheck": (
            "class M(type):\n    def __instancecheck__(cls, inst):\n        return True\n"
            "class A(metaclass=M):\n    pass\nprint({mark} if isinstance(1, A) else 'no')"
        ),
        "type_call_metaclass": "M = type(type)\nprint({mark}, M.__subclasses__(M))",
        "metaclass_keyword_builtin": "class A(metaclass=type):\n    pass\nprint({mark}, A.__mro__)",
    },
)

TYPE_THREE_ARGS = _group(
    "type() with three args",
    {
        "type_new_class": "X = type('X', (object,), {{}})\nprint({mark}, X)",
        "type_getattribute": (
            "X = type('X', (), {{'__getattribute__': lambda s, n: object}})\n"
            "print({mark}, X().anything)"
        ),
        "type_of_int": "print({mark}, type(1).__mro__)",
        "type_subclass_of_builtin": "X = type('X', (dict,), {{}})\nprint({mark}, X.__base__)",
        "type_with_reduce": (
            "X = type('X', (), {{'__reduce__': lambda s: (print, ('r',))}})\nprint({mark}, X)"
        ),
    },
)

BUILTINS_TAMPERING = _group(
    "builtins tampering",
    {
        "builtins_name": "print({mark}, __builtins__)",
        "builtins_import": "print({mark}, __builtins__['__import__']('os'))",
        "import_builtins_module": "import builtins\nprint({mark}, builtins.open)",
        "globals_builtins": "print({mark}, globals()['__builtins__'])",
        "locals_call": "print({mark}, locals())",
        "vars_no_args": "print({mark}, vars())",
        "overwrite_print": "print = lambda *a: None\nprint({mark})",
        "setattr_builtin_function": "setattr(len, 'x', 1)\nprint({mark})",
        "dir_builtins": "print({mark}, dir(__builtins__))",
        "build_class": "print({mark}, __build_class__)",
        "breakpoint_call": "breakpoint()\nprint({mark})",
        "help_call": "help(memory)\nprint({mark})",
        "license_reads_files": "license()\nprint({mark})",
        "input_call": "x = input()\nprint({mark}, x)",
    },
)

IMPORTS = _group(
    "import tricks",
    {
        "import_os": "import os\nprint({mark}, os.getpid())",
        "from_os_import_system": "from os import system\nprint({mark}, system)",
        "dunder_import": "print({mark}, __import__('os'))",
        "importlib_import_module": "import importlib\nprint({mark}, importlib.import_module('os'))",
        "from_importlib": "from importlib import import_module\nprint({mark}, import_module('os'))",
        "sys_modules": "import sys\nprint({mark}, sys.modules['os'])",
        "loader_attr": "import json\nprint({mark}, json.__loader__)",
        "spec_attr": "import json\nprint({mark}, json.__spec__)",
        "json_codecs": "import json\nprint({mark}, json.codecs.open)",
        "json_decoder_module": "import json.decoder\nprint({mark}, json.decoder)",
        "from_json_import_decoder": "from json import decoder\nprint({mark}, decoder)",
        "re_enum": "import re\nprint({mark}, re.enum.bltns)",
        "statistics_sys": "import statistics\nprint({mark}, statistics.sys)",
        "datetime_sys": "import datetime\nprint({mark}, datetime.sys)",
        "fractions_sys": "import fractions\nprint({mark}, fractions.sys)",
        "textwrap_re_chain": "import textwrap\nprint({mark}, textwrap.re.enum.sys)",
        "collections_abc_sys": "import collections\nprint({mark}, collections.abc.sys)",
        "functools_update_wrapper": (
            "import functools, json\ndef f():\n    pass\n"
            "functools.update_wrapper(f, json.dumps, assigned=(), updated=('__globals__',))\n"
            "print({mark}, f.__globals__)"
        ),
        "typing_get_type_hints": (
            "import typing\ndef f(x: '__import__(\"os\")'):\n    pass\n"
            "print({mark}, typing.get_type_hints(f))"
        ),
        "inspect_get_annotations": (
            "import inspect\ndef f(x: '__import__(\"os\")'):\n    pass\n"
            "print({mark}, inspect.get_annotations(f, eval_str=True))"
        ),
        "operator_attrgetter": (
            "import operator\nprint({mark}, operator.attrgetter('__class__')(1))"
        ),
        "import_os_path_alias": "import os.path as p\nprint({mark}, p)",
        "relative_import": "from . import kernel\nprint({mark}, kernel)",
        "import_athena_internals": "import athena_kernel\nprint({mark}, athena_kernel)",
        "import_ctypes": "import ctypes\nprint({mark}, ctypes.CDLL(None))",
        "import_subprocess": "import subprocess\nprint({mark}, subprocess.run(['id']))",
        "import_socket": "import socket\nprint({mark}, socket.socket())",
        "import_gc": "import gc\nprint({mark}, len(gc.get_objects()))",
        "import_ipython_core": "from IPython.core import getipython\nprint({mark}, getipython)",
        "ipython_display_internals": (
            "from IPython.display import display\nprint({mark}, display.__globals__)"
        ),
        "math_module_spec": "import math\nprint({mark}, math.__spec__.loader)",
        "random_module_internals": "import random\nprint({mark}, random._os)",
    },
)

SERIALIZATION = _group(
    "pickle/marshal",
    {
        "import_pickle": "import pickle\nprint({mark}, pickle.loads)",
        "import_marshal": "import marshal\nprint({mark}, marshal.loads)",
        "import_copyreg": "import copyreg\nprint({mark}, copyreg.__newobj__)",
        "copy_reduce_exploit": (
            "import copy\nclass E:\n    def __reduce__(self):\n"
            "        return (getattr, ((), '__class__'))\nprint({mark}, copy.deepcopy(E()))"
        ),
        "copy_reduce_ex": (
            "import copy\nclass E:\n    def __reduce_ex__(self, proto):\n"
            "        return (type, (1,))\nprint({mark}, copy.copy(E()))"
        ),
        "json_object_hook_class": (
            "import json\nprint({mark}, json.loads('{{}}', object_hook=lambda d: d.__class__))"
        ),
    },
)

UNICODE = _group(
    "unicode identifier normalisation",
    {
        "fullwidth_class": "print({mark}, ().__ｃｌａｓｓ__)",
        "fullwidth_import": "print({mark}, __ｉｍｐｏｒｔ__('os'))",
        "mathematical_bold_os": "import 𝐨𝐬\nprint({mark}, 𝐨𝐬.getpid())",
        "superscript_o_s": "import ᵒs\nprint({mark}, ᵒs)",
        "fullwidth_underscore_globals": "def f():\n    pass\nprint({mark}, f.＿＿globals＿＿)",
        "nfkc_builtins": "print({mark}, ＿＿builtins＿＿)",
        "italic_eval": "print({mark}, 𝑒𝑣𝑎𝑙('1'))",
    },
)

MEMORY_WALKING = _group(
    "memory attribute walking",
    {
        "backend_attr": "print({mark}, memory._backend)",
        "getattr_backend": "print({mark}, getattr(memory, '_back' + 'end'))",
        "memory_dict": "print({mark}, memory.__dict__)",
        "vars_memory": "print({mark}, vars(memory))",
        "memory_class": "print({mark}, memory.__class__)",
        "type_memory": "print({mark}, type(memory))",
        "layer_backend": "print({mark}, memory.events._backend)",
        "bound_method_self": "print({mark}, memory.remember.__self__)",
        "bound_method_func_globals": "print({mark}, memory.remember.__func__.__globals__)",
        "method_wrapped": "print({mark}, memory.recall.__wrapped__)",
        "model_fields_annotation_module": (
            "m = memory.remember('x')\nf = m.model_fields['id']\n"
            "print({mark}, f.annotation.__module__)"
        ),
        "model_config_dict": "m = memory.remember('x')\nprint({mark}, m.model_config.__class__)",
        "pydantic_validator": "m = memory.remember('x')\nprint({mark}, m.__pydantic_validator__)",
        "model_class_validate": ("m = memory.remember('x')\nprint({mark}, type(m).model_validate)"),
        "model_dump_self": "m = memory.remember('x')\nprint({mark}, m.model_dump.__self__.__class__)",
        "model_json_schema_class": (
            "m = memory.remember('x')\ns = m.model_json_schema()\nprint({mark} if s is None else 'ok')"
        ),
        "apis_browser": "print({mark}, apis._browser)",
        "procedures_runner": "print({mark}, procedures._runner)",
        "output_closure": "print({mark}, _output.__closure__)",
        "output_globals": "print({mark}, _output.__globals__)",
        "dir_memory_then_private": (
            "names = [n for n in dir(memory) if n.startswith('_')]\n"
            "print({mark}, [getattr(memory, n) for n in names])"
        ),
        "hit_model_internals": (
            "memory.remember('walk the hits')\nh = memory.recall('walk hits')[0]\n"
            "print({mark}, h.__fields_set__, h.__class__.__mro__)"
        ),
        "memory_reassign_backend": "memory._backend = None\nprint({mark})",
        "get_ipython_facade_shell": "print({mark}, get_ipython()._shell)",
        "get_ipython_user_ns": "print({mark}, get_ipython().user_ns)",
        "out_history_objects": "1 + 1\nprint({mark}, Out.__class__, _oh)",
    },
)

MAGICS = _group(
    "magics and shell escapes",
    {
        "bang_shell": "!touch {target}",
        "sx_magic": "%sx touch {target}",
        "system_magic": "%system touch {target}",
        "bash_cell": "%%bash\ntouch {target}",
        "script_cell": "%%script sh\ntouch {target}",
        "sh_cell": "%%sh\ntouch {target}",
        "run_file": "%run {canary}",
        "load_file": "%load {canary}",
        "pycat_file": "%pycat {canary}",
        "env_magic": "%env",
        "cd_magic": "%cd /",
        "writefile_cell": "%%writefile {target}\nx",
        "store_magic": "%store memory",
        "pip_magic": "%pip install requests",
        "capture_hides_import": "%%capture c\nimport os\nos.system('touch {target}')",
        "time_runs_import": "%time __import__('os').system('touch {target}')",
        "timeit_setup_import": "%timeit -n1 -r1 -s \"import os\" os.system('touch {target}')",
        "get_ipython_system": "get_ipython().system('touch {target}')",
        "get_ipython_run_line_magic": "get_ipython().run_line_magic('sx', 'touch {target}')",
        "get_ipython_run_cell_magic": (
            "get_ipython().run_cell_magic('bash', '', 'touch {target}')"
        ),
        "magic_brace_expansion": "%time {{__import__('os').system('touch {target}')}}",
        "alias_magic": "%alias t touch {target}\n%t",
        "config_magic": "%config InteractiveShell.ast_transformers = []",
        "html_script_cell": "%%html\n<script>fetch('/api/kernels')</script>",
        "javascript_cell": "%%javascript\nconsole.log(1)",
        "load_ext_magic": "%load_ext autoreload",
        "logstart_writes_file": "%logstart {target}",
        "history_to_file": "%history -f {target}",
        "save_magic": "%save {target} 1",
        "macro_magic": "%macro m 1",
        "xmode_verbose_leaks_locals": "%xmode Verbose\n1/0",
        "pinfo_private": "memory._backend?",
        "psource_private": "%psource memory._backend.call",
        "rerun_magic": "%rerun",
        "capture_then_show": "%%capture out\n1/0",
        "reset_then_escape": "%reset -f\nimport os\nprint({mark}, os)",
    },
)

EXHAUSTION = _group(
    "resource exhaustion",
    {
        "int_power_bomb": "x = 10**10**8\nprint({mark})",
        "int_power_bomb_variables": "a = 10\nb = 10**8\nx = a ** b\nprint({mark})",
        "string_repetition": "x = 'a' * 10**10\nprint({mark})",
        "list_repetition": "x = [0] * 10**10\nprint({mark})",
        "bytearray_alloc": "x = bytearray(10**10)\nprint({mark})",
        "bytes_alloc": "x = bytes(10**10)\nprint({mark})",
        "recursion_bomb": "def f(n):\n    return f(n + 1)\nf(0)\nprint({mark})",
        "factorial_bomb": "import math\nx = math.factorial(10**7)\nprint({mark})",
        "int_from_huge_string": "x = int('9' * 10**6)\nprint({mark})",
        "str_of_huge_int": "x = str(2 ** 10**6)\nprint({mark})",
        "format_width_bomb": "x = '{{:>1000000000}}'.format(1)\nprint({mark})",
        "deep_nesting_source": "x = " + "(" * 2000 + "1" + ")" * 2000 + "\nprint({mark})",
        "huge_cell": "x = 1\n" * 600_000 + "print({mark})",
        "redos": "import re\nre.match('(a+)+$', 'a' * 40 + 'b')\nprint({mark})",
        "dict_comprehension_memory": "x = {{i: i for i in range(10**9)}}\nprint({mark})",
        "lshift_bomb": "x = 1 << (1 << 40)\nprint({mark})",
    },
) + _group(
    "resource exhaustion",
    {
        "sum_range_c_loop": "x = sum(range(10**14))\nprint({mark})",
        "except_baseexception_loop": (
            "while True:\n    try:\n        while True:\n            pass\n"
            "    except BaseException:\n        pass\nprint({mark})"
        ),
        "bare_except_loop": (
            "while True:\n    try:\n        while True:\n            pass\n"
            "    except:\n        pass\nprint({mark})"
        ),
        "finally_loop": "try:\n    while True:\n        pass\nfinally:\n    while True:\n        pass",
        "max_count": "import itertools\nx = max(itertools.count())\nprint({mark})",
        "iter_callable_sentinel": "x = any(iter(int, 1))\nprint({mark})",
        "context_manager_swallows": (
            "class S:\n    def __enter__(self):\n        return self\n"
            "    def __exit__(self, *a):\n        return True\n"
            "while True:\n    with S():\n        while True:\n            pass"
        ),
    },
    slow=True,
)

OUTPUT_FLOODS = _group(
    "output floods",
    {
        "print_100mb": "print('x' * 100_000_000)",
        "million_lines": "for i in range(1_000_000):\n    print(i)",
        "display_flood": "for i in range(20_000):\n    display({{'text/plain': 'x' * 100}}, raw=True)",
        "no_newline_flood": "import sys\nfor i in range(200_000):\n    sys.stdout.write('y' * 50)",
        "stderr_flood": "import sys\nfor i in range(300_000):\n    print('e' * 20, file=sys.stderr)",
        "huge_result_repr": "list(range(5_000_000))",
    },
)

OTHER = _group(
    "exec, eval, open and friends",
    {
        "exec_call": "exec('import os')\nprint({mark})",
        "eval_call": "print({mark}, eval('__import__(\"os\")'))",
        "compile_call": "c = compile('1', 'x', 'eval')\nprint({mark}, c)",
        "open_canary": "print({mark}, open('{canary}').read())",
        "open_write": "open('{target}', 'w').write('x')\nprint({mark})",
        "getattr_computed_name": "n = 'sys' + 'tem'\nimport math\nprint({mark}, getattr(math, n))",
        "memoryview_of_bytes": "m = memoryview(b'abc')\nprint({mark}, m.obj.__class__.__mro__)",
        "object_new_memory": "print({mark}, object.__new__(type(memory)))",
        "exit_call": "exit()\nprint({mark})",
        "quit_call": "quit()",
        "sys_exit": "import sys\nsys.exit(0)",
        "raise_systemexit": "raise SystemExit(0)",
        "raise_keyboardinterrupt_loop": "for i in range(3):\n    raise KeyboardInterrupt",
        "except_star": "try:\n    raise ExceptionGroup('g', [ValueError()])\nexcept* ValueError:\n    print({mark})",
        "str_decode_to_code": (
            "import base64\ncode = base64.b64decode('aW1wb3J0IG9z').decode()\n"
            "print({mark}, eval(code))"
        ),
        "codecs_rot13_exec": "import codecs\nprint({mark}, exec(codecs.decode('vzcbeg bf', 'rot13')))",
        "lambda_default_globals": "f = lambda g=globals: g()\nprint({mark}, f())",
        "decimal_context_tamper": (
            "import decimal\ndecimal.getcontext().prec = 10**9\n"
            "x = decimal.Decimal(1) / 3\nprint({mark} if len(str(x)) > 10**6 else 'bounded')"
        ),
        "read_canary_via_csv": "import csv\nprint({mark}, list(csv.reader(open('{canary}'))))",
        "zoneinfo_file_read": (
            "import zoneinfo\nprint({mark}, zoneinfo.ZoneInfo.from_file(open('{canary}', 'rb')))"
        ),
    },
)

ATTACKS: list[Attack] = [
    *DUNDER_TRAVERSAL,
    *FRAMES,
    *FORMAT_STRINGS,
    *FORMAT_MAP,
    *DECORATORS_AND_CLASSES,
    *METACLASSES,
    *TYPE_THREE_ARGS,
    *BUILTINS_TAMPERING,
    *IMPORTS,
    *SERIALIZATION,
    *UNICODE,
    *MEMORY_WALKING,
    *MAGICS,
    *EXHAUSTION,
    *OUTPUT_FLOODS,
    *OTHER,
]
