"""Shared by the trainer re-enactments: read the cases, load a shim file by path the way trainers do."""
import importlib.util
import json
import sys


def read_cases():
    with open(sys.argv[1], encoding="utf-8") as handle:
        return json.load(handle)


def load_by_path(name, path, register=False):
    """spec_from_file_location + exec_module; the file's folder is NOT put on sys.path (as verl, EasyR1 and
    OpenRLHF load reward files); `register` puts the module in sys.modules first (EasyR1 does, verl does not)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    if register:
        sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def emit(results):
    json.dump(results, sys.stdout)
