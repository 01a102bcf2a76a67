package dev.atrium.viewer;

import dev.atrium.http.HubException;

/** Why the viewer cannot show a split, one type each; the API and the pages both show the message. */
public final class ViewerErrors {
    private ViewerErrors() {}

    public static final class SplitNotFound extends HubException {
        private static final long serialVersionUID = 1L;
        SplitNotFound(String config, String split) {
            super("The dataset has no split '" + split + "' in a config '" + config + "'");
        }
        @Override public int status() { return 404; }
        @Override public String errorCode() { return "SplitNotFound"; }
    }

    /** Larger than the viewer copies and reads for one split. */
    public static final class SplitTooBig extends HubException {
        private static final long serialVersionUID = 1L;
        SplitTooBig(String split, long bytes, long limit) {
            super("The files of split '" + split + "' hold " + bytes + " bytes; the viewer reads splits of up to "
                    + limit + " bytes");
        }
        @Override public int status() { return 501; }
        @Override public String errorCode() { return "TooBigContentError"; }
    }

    /** DuckDB could not read the files as their format (a malformed CSV, JSON that is not JSON). */
    public static final class UnreadableSplit extends HubException {
        private static final long serialVersionUID = 1L;
        UnreadableSplit(String split, String reason) {
            super("The files of split '" + split + "' could not be read: " + reason);
        }
        @Override public int status() { return 422; }
        @Override public String errorCode() { return "UnreadableSplit"; }
    }

    /** The dataset's Parquet export is being made (or waits to be) for its default branch's head. */
    public static final class ExportNotReady extends HubException {
        private static final long serialVersionUID = 1L;
        ExportNotReady() {
            super("The Parquet export of this dataset is being made; try again in a moment");
        }
        @Override public int status() { return 503; }
        @Override public String errorCode() { return "ResponseNotReady"; }
    }

    /** Making the dataset's Parquet export failed; it is tried again when its default branch moves. */
    public static final class ExportFailed extends HubException {
        private static final long serialVersionUID = 1L;
        ExportFailed(String reason) {
            super("The Parquet export of this dataset failed: " + reason);
        }
        @Override public int status() { return 500; }
        @Override public String errorCode() { return "ParquetExportFailed"; }
    }

    /** Search and filters read tables; a folder of images or sounds, or WebDataset shards, are none. */
    public static final class NotATable extends HubException {
        private static final long serialVersionUID = 1L;
        NotATable(String split) {
            super("Split '" + split + "' is a folder of images or sounds, or WebDataset shards: it can be browsed, "
                    + "not searched or filtered");
        }
        @Override public int status() { return 501; }
        @Override public String errorCode() { return "NotATable"; }
    }

    /** A file of a folder larger than the Parquet export holds in memory at once. */
    public static final class FileTooBig extends HubException {
        private static final long serialVersionUID = 1L;
        FileTooBig(String path, long bytes, long limit) {
            super("File '" + path + "' holds " + bytes + " bytes; the export writes files of up to " + limit
                    + " bytes");
        }
        @Override public int status() { return 501; }
        @Override public String errorCode() { return "TooBigContentError"; }
    }
}
