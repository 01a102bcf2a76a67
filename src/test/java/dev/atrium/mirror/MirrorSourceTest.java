package dev.atrium.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.http.Errors;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import java.net.URI;
import org.junit.jupiter.api.Test;

class MirrorSourceTest {

    @Test
    void pageUrls_asCopiedFromABrowser_nameTheHubTheTypeAndTheRepo() {
        MirrorSource model = MirrorSource.parse("https://huggingface.co/openai-community/gpt2");
        assertEquals(new MirrorSource(URI.create("https://huggingface.co"), RepoType.MODEL,
                new RepoId("openai-community", "gpt2")), model);
        assertEquals("https://huggingface.co/openai-community/gpt2.git", model.gitUrl().toString());
        assertEquals("https://huggingface.co/openai-community/gpt2.git/info/lfs/objects/batch",
                model.lfsBatchUrl().toString());

        MirrorSource dataset = MirrorSource.parse(" https://huggingface.co/datasets/stanfordnlp/imdb/tree/main/plain_text ");
        assertEquals(RepoType.DATASET, dataset.type());
        assertEquals("https://huggingface.co/datasets/stanfordnlp/imdb", dataset.pageUrl());

        // A clone URL, and a hub served under a path and on a port of its own.
        MirrorSource cloned = MirrorSource.parse("http://hub.lab.example:8080/atrium/datasets/team/rows.git");
        assertEquals(URI.create("http://hub.lab.example:8080/atrium"), cloned.endpoint());
        assertEquals(RepoType.DATASET, cloned.type());
        assertEquals(new RepoId("team", "rows"), cloned.id());
        assertEquals(cloned, MirrorSource.parse(cloned.pageUrl()), "the stored form reads back the same");
    }

    @Test
    void whatIsNoRepoPage_isRefusedWithTheReason() {
        for (String bad : new String[] {"ftp://huggingface.co/a/b", "huggingface.co/a/b", "https://huggingface.co/gpt2",
                "https://huggingface.co/", "https://user:secret@huggingface.co/a/b", "https://huggingface.co/a/b?x=1",
                "https://huggingface.co/a/b#frag", "https://huggingface.co/a/-bad-", "not a url at all"}) {
            Errors.BadRequest refused = assertThrows(Errors.BadRequest.class, () -> MirrorSource.parse(bad), bad);
            assertTrue(!refused.getMessage().contains("secret"), "a password in the URL is never repeated: "
                    + refused.getMessage());
        }
    }
}
