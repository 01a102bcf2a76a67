package dev.atrium.scan;

import java.io.IOException;
import java.io.InputStream;

/** Random access to a stored file: a scan reads a ZIP's directory at its end and then only the entries it needs. */
public interface ByteSource {
    long size();

    /** Bytes {@code [offset, offset + length)}, streamed. */
    InputStream open(long offset, long length) throws IOException;
}
