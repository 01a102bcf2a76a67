package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.PythonClient;
import org.junit.jupiter.api.Test;

/**
 * {@code datasets.load_dataset} on CSV (train/test splits), JSONL and Parquet repos, streaming and not, and
 * {@code transformers} AutoConfig/AutoTokenizer on a tiny locally built config and tokenizer, all through HF_ENDPOINT.
 * These libraries probe many paths (hub-api.md §13, §14): missing ones must be EntryNotFound, never a bare 404.
 */
class DatasetsTransformersIT {

    @Test
    void loadDatasetAndFromPretrained_throughHfEndpoint_readTheUploadedData() {
        PythonClient python = Clients.python("datasets", "transformers", "pyarrow", "tokenizers");
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            python.run("datasets_transformers.py", server, token);
        }
    }
}
