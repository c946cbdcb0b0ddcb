"""Suspicion flags for reviewers: constructs that tamper with the runtime or the harness.

Flags never fail a submission; they point a reviewer at code worth reading.
"""

from __future__ import annotations

import ast

SUSPECT_MODULES = {
    "ctypes": "loads native code (ctypes)",
    "gc": "inspects live objects (gc)",
    "inspect": "inspects frames or sources (inspect)",
    "pytest": "imports pytest",
    "_pytest": "imports pytest internals (_pytest)",
    "builtins": "touches builtins",
    "probekit": "imports the grading harness (probekit)",
    "probes": "imports the hidden probes",
    "runner": "imports the harness runner",
    "signal": "handles signals",
    "socket": "opens sockets",
    "subprocess": "starts processes (subprocess)",
    "multiprocessing": "starts processes (multiprocessing)",
    "resource": "changes resource limits",
    "sys": None,
    "os": None,
    "importlib": "imports modules dynamically (importlib)",
    "atexit": "registers exit handlers",
    "faulthandler": "touches faulthandler",
    "tracemalloc": "inspects memory allocations",
    "marshal": "loads code objects (marshal)",
    "mmap": "maps memory",
    "dis": "disassembles code (dis)",
}
SUSPECT_ATTRIBUTES = {
    "_exit": "calls os._exit",
    "_getframe": "walks interpreter frames",
    "f_back": "walks interpreter frames",
    "f_globals": "reads another frame's globals",
    "f_locals": "reads another frame's locals",
    "tb_frame": "walks traceback frames",
    "gi_frame": "walks generator frames",
    "__builtins__": "patches builtins",
    "__subclasses__": "walks the class hierarchy",
    "__code__": "rewrites code objects",
    "get_objects": "scans live objects",
    "get_referrers": "scans live objects",
    "settrace": "installs a tracer",
    "setprofile": "installs a profiler",
    "setrecursionlimit": "changes the recursion limit",
    "modules": None,
    "fork": "forks processes",
    "kill": "sends signals",
    "setsid": "detaches from its session",
    "__file__": "reads a module's file (another module's source)",
    "co_code": "reads bytecode",
    "getsource": "reads source code",
    "getpid": "reads its process id",
}
SUSPECT_CALLS = {
    "exec": "calls exec",
    "eval": "calls eval",
    "compile": "compiles code at run time",
    "__import__": "imports dynamically",
    "breakpoint": "calls breakpoint",
}


def _module_flag(name: str, line: int) -> str | None:
    """The flag for importing module ``name``, if any."""
    root = name.split(".")[0]
    if SUSPECT_MODULES.get(root):
        return f"line {line}: {SUSPECT_MODULES[root]}"
    return None


def _node_flags(node: ast.AST) -> list[str]:
    """The flags one syntax node raises."""
    line = getattr(node, "lineno", 0)
    found: list[str | None] = []
    if isinstance(node, ast.Import):
        found = [_module_flag(alias.name, line) for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        found = [_module_flag(node.module, line)]
        if node.module.split(".")[0] == "os" and any(a.name == "_exit" for a in node.names):
            found.append(f"line {line}: calls os._exit")
    elif isinstance(node, ast.Attribute):
        if node.attr == "modules":
            if isinstance(node.value, ast.Name) and node.value.id == "sys":
                found = [f"line {line}: reads or patches sys.modules"]
        elif SUSPECT_ATTRIBUTES.get(node.attr):
            found = [f"line {line}: {SUSPECT_ATTRIBUTES[node.attr]}"]
    elif isinstance(node, ast.Name) and node.id == "__builtins__":
        found = [f"line {line}: patches builtins"]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id in SUSPECT_CALLS:
            found = [f"line {line}: {SUSPECT_CALLS[node.func.id]}"]
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        if node.value.endswith(".py") and len(node.value) < 200:
            found = [f"line {line}: names a Python file ({node.value!r})"]
    elif isinstance(node, ast.FunctionDef) and node.name in ("__eq__", "__ne__", "__hash__"):
        found = [f"line {line}: defines {node.name}"]
    return [flag for flag in found if flag]


def suspicion_flags(tree: ast.AST, limit: int = 30) -> tuple[str, ...]:
    """Scan a parsed submission and return short, human-readable flags, by line."""
    found: list[str] = []
    for node in ast.walk(tree):
        for flag in _node_flags(node):
            if flag not in found:
                found.append(flag)
    found.sort(key=lambda text: int(text.split(":")[0].split()[1]))
    return tuple(found[:limit])
