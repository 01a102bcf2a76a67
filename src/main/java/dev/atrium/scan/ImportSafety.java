package dev.atrium.scan;

import java.util.Locale;
import java.util.Set;

/**
 * How much an import in a pickle should worry whoever loads it, in the Hub's three levels. Innocuous: what PyTorch,
 * NumPy and plain containers need to rebuild tensors and arrays. Dangerous: what runs commands, reaches the network
 * or the file system, evaluates code or loads further pickles. Suspicious: everything else, such as a project's own
 * classes, which run their own code when unpickled.
 */
public enum ImportSafety {
    INNOCUOUS("innocuous"),
    SUSPICIOUS("suspicious"),
    DANGEROUS("dangerous");

    /** Modules of which every attribute is dangerous (submodules included). */
    private static final Set<String> DANGEROUS_MODULES = Set.of("os", "posix", "nt", "subprocess", "_posixsubprocess",
            "sys", "socket", "shutil", "runpy", "webbrowser", "pty", "asyncio", "bdb", "pdb", "code", "codeop",
            "commands", "pickle", "_pickle", "cPickle", "dill", "marshal", "ctypes", "importlib", "requests", "httplib",
            "http", "urllib", "urllib2", "urllib3", "aiohttp", "pip", "multiprocessing", "signal", "ftplib", "smtplib",
            "telnetlib", "tempfile", "platform", "timeit", "cProfile", "profile", "trace", "threading", "_thread",
            "ssl", "io", "_io", "zipimport", "imp");
    /** Attributes of the built-ins that evaluate code, import, open files or reach any attribute. */
    private static final Set<String> DANGEROUS_BUILTINS = Set.of("eval", "exec", "execfile", "compile", "open",
            "getattr", "setattr", "delattr", "apply", "breakpoint", "__import__", "input", "globals", "locals", "vars");
    private static final Set<String> BUILTIN_MODULES = Set.of("builtins", "__builtin__", "__builtins__");
    private static final Set<String> DANGEROUS_ELSEWHERE = Set.of("operator.attrgetter", "operator.methodcaller",
            "pydoc.pipepager", "numpy.testing._private.utils.runstring", "torch.load", "torch.serialization.load",
            "torch.hub.load", "torch.hub.load_state_dict_from_url", "functools.partial", "functools.reduce");
    private static final Set<String> INNOCUOUS_GLOBALS = Set.of("collections.OrderedDict", "collections.defaultdict",
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state", "torch._utils._rebuild_qtensor",
            "torch._utils._rebuild_sparse_tensor", "torch._utils._rebuild_device_tensor_from_numpy",
            "torch._utils._rebuild_meta_tensor_no_storage", "torch._utils._rebuild_wrapper_subclass",
            "torch._tensor._rebuild_from_type_v2", "torch.Size", "torch.device", "torch.strided",
            "torch.serialization._get_layout", "numpy.core.multiarray._reconstruct",
            "numpy._core.multiarray._reconstruct", "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
            "numpy.ndarray", "numpy.dtype", "_codecs.encode", "builtins.set", "builtins.frozenset", "builtins.slice",
            "builtins.range", "builtins.complex", "builtins.bytearray", "builtins.bytes", "__builtin__.set",
            "__builtin__.frozenset", "__builtin__.slice", "__builtin__.complex", "__builtin__.bytearray");
    /** torch's dtypes ({@code torch.float16}) and storage classes ({@code torch.FloatStorage}), by name. */
    private static final Set<String> TORCH_DTYPES = Set.of("float16", "float32", "float64", "bfloat16", "half",
            "float", "double", "int8", "int16", "int32", "int64", "uint8", "bool", "complex64", "complex128",
            "float8_e4m3fn", "float8_e5m2", "long", "int", "short");

    private final String wireName;

    ImportSafety(String wireName) {
        this.wireName = wireName;
    }

    /** As the Hub's {@code pickleImportScan} spells it. */
    public String wireName() {
        return wireName;
    }

    public static ImportSafety of(PickleImports.Import imported) {
        String module = imported.module();
        String name = imported.name();
        String root = module.split("\\.", 2)[0];
        String qualified = module + "." + name;
        if (imported.equals(PickleImports.Import.UNREADABLE) || DANGEROUS_MODULES.contains(root)
                || (BUILTIN_MODULES.contains(module) && DANGEROUS_BUILTINS.contains(name))
                || DANGEROUS_ELSEWHERE.contains(qualified)) {
            return DANGEROUS;
        }
        if (INNOCUOUS_GLOBALS.contains(qualified)
                || (module.equals("torch") && (name.endsWith("Storage") || TORCH_DTYPES.contains(name)))) {
            return INNOCUOUS;
        }
        return SUSPICIOUS;
    }

    public static ImportSafety parse(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
