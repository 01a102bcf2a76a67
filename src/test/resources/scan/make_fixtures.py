"""Writes the pickle fixtures of PickleScannerTest with CPython's own pickle, zipfile and NumPy (run with the IT venv's
Python; the outputs are committed). Nothing here is ever unpickled."""
import collections
import io
import os
import pickle
import sys
import types
import zipfile

import numpy

HERE = os.path.dirname(os.path.abspath(__file__))


class Evil:
    def __reduce__(self):
        return os.system, ("echo pwned",)


class Thing:  # a project's own class: unpickling runs its code
    def __init__(self):
        self.x = 1


# Stand-ins for torch's rebuild function, so the pickle names it as PyTorch checkpoints do.
torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")


def _rebuild_tensor_v2(*args):
    return args


_rebuild_tensor_v2.__module__ = "torch._utils"
torch_utils._rebuild_tensor_v2 = _rebuild_tensor_v2
sys.modules["torch"], sys.modules["torch._utils"] = torch, torch_utils


class Tensor:
    def __reduce__(self):
        return _rebuild_tensor_v2, ("storage", 0, (2, 2), (2, 1))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


write("evil-proto0.pkl", pickle.dumps(Evil(), protocol=0))
write("evil-proto4.pkl", pickle.dumps({"a": [1, 2], "b": Evil()}, protocol=4))
write("evil-memo.pkl", pickle.dumps([os.system, os.getcwd], protocol=4))  # "posix" pushed once, then fetched
write("plain-data.pkl", pickle.dumps({"ints": list(range(10)), "text": "hello", "nested": (1.5, None, True)}, 4))
write("ordered.pkl", pickle.dumps(collections.OrderedDict(a=1), protocol=2))
write("custom-class.pkl", pickle.dumps(Thing(), protocol=4))
state = collections.OrderedDict(weight=Tensor(), bias=Tensor())
for name, payload in (("torch-like.bin", pickle.dumps(state, protocol=2)),
                      ("torch-like-evil.bin", pickle.dumps(collections.OrderedDict(w=Tensor(), x=Evil()), 2))):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", payload)
        z.writestr("archive/data/0", b"\0" * 4096)
        z.writestr("archive/version", b"3\n")
    write(name, buf.getvalue())
buf = io.BytesIO()
numpy.save(buf, numpy.array([1, "two", Evil()], dtype=object), allow_pickle=True)
write("objects.npy", buf.getvalue())
buf = io.BytesIO()
numpy.save(buf, numpy.arange(6, dtype=numpy.float32))
write("floats.npy", buf.getvalue())
buf = io.BytesIO()
numpy.savez_compressed(buf, floats=numpy.arange(3), objects=numpy.array([Evil()], dtype=object))
write("mixed.npz", buf.getvalue())
