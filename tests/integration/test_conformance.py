"""The Jupyter kernel conformance suite (jupyter_kernel_test) against both Athena kernelspecs.

The kernels start from the kernelspecs tests/conftest.py installed into a temporary
JUPYTER_PATH, with the sandbox and output filter on (the code samples are ordinary notebook code).
"""

from __future__ import annotations

import unittest

import jupyter_kernel_test
import pytest

pytestmark = pytest.mark.kernel


class _AthenaConformance(jupyter_kernel_test.KernelTests):
    language_name = "python"
    file_extension = ".py"
    code_hello_world = "print('hello, world')"
    code_stderr = "import sys\nprint('test', file=sys.stderr)"
    completion_samples = [{"text": "zi", "matches": {"zip"}}]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n  return x*2\n\n"]
    incomplete_code_samples = ["print('''hello", "def f(x):\n  x*2"]
    invalid_code_samples = ["import = 7q"]
    code_page_something = "print?"
    code_generate_error = "raise ValueError('boom')"
    code_execute_result = [
        {"code": "1+2+3", "result": "6"},
        {"code": "[n*n for n in range(4)]", "result": "[0, 1, 4, 9]"},
        {"code": "'athena'.upper()", "result": "'ATHENA'"},
    ]
    code_display_data = [
        {
            "code": "display({'text/html': '<b>test</b>', 'text/plain': 'test'}, raw=True)",
            "mime": "text/html",
        },
        {
            "code": "from IPython.display import HTML, display\ndisplay(HTML('<b>test</b>'))",
            "mime": "text/html",
        },
    ]
    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "zip"
    code_clear_output = "from IPython.display import clear_output\nclear_output()"


class TestAthenaAgentKernel(_AthenaConformance):
    """The `athena` kernelspec (agent profile)."""

    kernel_name = "athena"


class TestAthenaLabKernel(_AthenaConformance):
    """The `athena-lab` kernelspec (human profile)."""

    kernel_name = "athena-lab"


del _AthenaConformance  # not a test case of its own

if __name__ == "__main__":
    unittest.main()
