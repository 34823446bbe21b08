"""Shared by the trainer re-enactments: read the cases, find the package's files as a user would
(`python -m ra_rft_rewards path NAME`), and load a file by path the way trainers do."""
import importlib.util
import json
import subprocess
import sys


def read_cases():
    with open(sys.argv[1], encoding="utf-8") as handle:
        return json.load(handle)


def package_path(name):
    """What a user pastes into a trainer config: `python -m ra_rft_rewards path NAME`."""
    return subprocess.check_output([sys.executable, "-m", "ra_rft_rewards", "path", name], text=True).strip()


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
