"""``%apis``: progressive discovery of every API (namespaces, functions, one function, search)."""

from __future__ import annotations

import json
import shlex
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class

USAGE = '%apis [PATH] [--search "WORDS"] [--json]'


@magics_class
class ApisMagics(Magics):
    """Discovery of the APIs bound in this kernel."""

    def __init__(self, shell: Any, browser: Any) -> None:
        super().__init__(shell)
        self._browser = browser

    @line_magic
    def apis(self, line: str) -> None:
        """Discover the APIs progressively, loading only what you need.

        %apis [PATH] [--search "WORDS"] [--json]

        `%apis` lists the namespaces; `%apis memory.graph` a namespace's functions;
        `%apis memory.graph.relate` one function in full (signature, parameters, return
        fields, errors, example); `%apis --search "time range"` ranks matches everywhere;
        `--json` prints the same content as JSON. From code: apis(), apis("memory.graph"),
        apis(search="...").
        """
        try:
            args = shlex.split(line)
        except ValueError as exc:
            raise UsageError(f"{exc}. usage: {USAGE}") from None
        as_json = "--json" in args
        args = [a for a in args if a != "--json"]
        query = None
        if "--search" in args:
            i = args.index("--search")
            if i + 1 >= len(args):
                raise UsageError(f"--search needs words. usage: {USAGE}")
            query = " ".join(args[i + 1 :])
            args = args[:i]
        if len(args) > 1 or any(a.startswith("-") for a in args):
            raise UsageError(f"unexpected arguments {args!r}. usage: {USAGE}")
        try:
            listing = self._browser.answer(args[0] if args else None, search=query)
        except LookupError as exc:
            raise UsageError(str(exc)) from None
        if as_json:
            print(json.dumps(listing.data, separators=(",", ":"), default=str))
        elif self._browser.rich:
            from IPython.display import display

            display({"text/plain": listing.text, "text/markdown": listing.markdown}, raw=True)
        else:
            print(listing.text)
