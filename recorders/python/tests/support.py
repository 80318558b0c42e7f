"""Shared test helpers: a fresh profile file per test, and a checker of the documented keys."""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
import unittest
from typing import Any, Dict, List

from agentprof._writer import WRITER

RECORDER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The keys docs/format.md documents per record type: (required, optional) with their types.
_INT = int
_ID = (int, str)
FORMAT: Dict[str, Dict[str, Dict[str, Any]]] = {
    "run": {
        "required": {"v": _INT, "name": str, "start": str, "pid": _INT, "argv": list, "cwd": str, "recorder": str},
        "optional": {"lang": str},
    },
    "s": {
        "required": {"id": _ID, "n": str, "at": _INT},
        "optional": {"p": _ID, "f": str, "l": _INT, "th": str, "task": str, "a": dict, "k": str, "kind": str},
    },
    "e": {"required": {"id": _ID, "at": _INT}, "optional": {"err": str, "a": dict}},
    "u": {
        "required": {"op": str, "model": str, "in": _INT, "out": _INT},
        "optional": {"span": _ID, "prov": str, "cr": _INT, "cw": _INT, "rs": _INT, "cost": (int, float),
                     "at": _INT, "f": str, "l": _INT, "k": str, "a": dict},
    },
    "b": {"required": {"target": str}, "optional": {"tokens": (int, float), "cost": (int, float), "ms": (int, float)}},
    "end": {"required": {"at": _INT, "status": str}, "optional": {"err": str}},
}


def check_line(test: unittest.TestCase, record: Dict[str, Any]) -> None:
    """Fails unless ``record`` is a documented record type with exactly documented keys and types."""
    kind = record.get("t")
    test.assertIn(kind, FORMAT, f"unknown record type in {record}")
    spec = FORMAT[kind]
    for key, expected in spec["required"].items():
        test.assertIn(key, record, f"{kind} record lacks {key}: {record}")
        test.assertIsInstance(record[key], expected, f"{kind}.{key} has the wrong type: {record}")
    for key, value in record.items():
        if key == "t" or key in spec["required"]:
            continue
        test.assertIn(key, spec["optional"], f"undocumented key {key} in {record}")
        test.assertIsInstance(value, spec["optional"][key], f"{kind}.{key} has the wrong type: {record}")
        test.assertNotIsInstance(value, bool, f"{kind}.{key} must not be a boolean: {record}")


class ProfileTestCase(unittest.TestCase):
    """Each test writes to its own AGENTPROF_OUT in a temporary folder; stderr is captured."""

    def setUp(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="agentprof-test-")
        self.path = os.path.join(self.folder, "run.agentprof.jsonl")
        self._saved_env = {k: os.environ.get(k) for k in ("AGENTPROF_OUT", "AGENTPROF_DISABLE", "AGENTPROF_OUT_PID", "AGENTPROF_NAME")}
        os.environ["AGENTPROF_OUT"] = self.path
        for key in ("AGENTPROF_DISABLE", "AGENTPROF_OUT_PID", "AGENTPROF_NAME"):
            os.environ.pop(key, None)
        WRITER.reset()
        self.stderr = io.StringIO()
        self._redirect = contextlib.redirect_stderr(self.stderr)
        self._redirect.__enter__()

    def tearDown(self) -> None:
        self._redirect.__exit__(None, None, None)
        WRITER.reset()
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        WRITER.reset()
        shutil.rmtree(self.folder, ignore_errors=True)

    def lines(self, path: str = "") -> List[Dict[str, Any]]:
        """The profile's records; every line must end in a newline and parse as a JSON object."""
        with open(path or self.path, "rb") as handle:
            data = handle.read()
        self.assertTrue(data.endswith(b"\n"), "the last line must be complete")
        records = [json.loads(line) for line in data.decode("utf-8").split("\n")[:-1]]
        for record in records:
            self.assertIsInstance(record, dict)
        return records

    def of_type(self, kind: str, path: str = "") -> List[Dict[str, Any]]:
        return [r for r in self.lines(path) if r["t"] == kind]

    def warnings(self) -> List[str]:
        return [line for line in self.stderr.getvalue().splitlines() if line.startswith("agentprof:")]
