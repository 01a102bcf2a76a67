package dev.atrium.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import org.junit.jupiter.api.Test;

/** What a completion request may carry, and what it becomes for the worker. */
class CompletionRequestsTest {

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    private static String refusal(String body) throws Exception {
        JsonNode request = json(body);
        return assertThrows(Errors.BadRequest.class, () -> {
            CompletionRequests.messages(request.get("messages"));
            CompletionRequests.parameters(request);
        }).getMessage();
    }

    @Test
    void messages_keepRolesAndJoinTextParts() throws Exception {
        JsonNode messages = CompletionRequests.messages(json("[{'role': 'system', 'content': 'be brief'},"
                + " {'role': 'user', 'content': [{'type': 'text', 'text': 'once '}, {'type': 'text', 'text': 'upon'}],"
                + " 'name': 'ignored'}]"));

        assertEquals(json("[{'role': 'system', 'content': 'be brief'}, {'role': 'user', 'content': 'once upon'}]"),
                messages);
    }

    @Test
    void parameters_areCheckedAndNamedAsTheWorkerTakesThem() throws Exception {
        JsonNode parameters = CompletionRequests.parameters(json("{'max_completion_tokens': 7, 'temperature': 0,"
                + " 'top_p': 0.9, 'seed': 42, 'stop': 'END', 'stream': true, 'frequency_penalty': null}"));

        // As text: JSON's numbers, whatever Java type holds them.
        assertEquals(json("{'max_tokens': 7, 'temperature': 0.0, 'top_p': 0.9, 'seed': 42, 'stop': ['END'],"
                + " 'stream': true}").toString(), parameters.toString());
        assertEquals(json("{'stream': false}"),
                CompletionRequests.parameters(json("{'tools': null, 'n': 1, 'logprobs': false}")));
        assertEquals("{\"temperature\":0.0,\"stream\":false}",
                CompletionRequests.parameters(json("{'do_sample': false}")).toString(), "no sampling: temperature 0");
        assertEquals("{\"temperature\":0.7,\"stream\":false}",
                CompletionRequests.parameters(json("{'do_sample': false, 'temperature': 0.7}")).toString());
    }

    @Test
    void prompt_isOneText() throws Exception {
        assertEquals("once", CompletionRequests.prompt(json("{'prompt': 'once'}")).asText());
        for (String body : new String[] {"{}", "{'prompt': ''}", "{'prompt': ['a', 'b']}", "{'prompt': [1, 2]}"}) {
            assertTrue(assertThrows(Errors.BadRequest.class, () -> CompletionRequests.prompt(json(body))).getMessage()
                    .contains("non-empty text"), body);
        }
    }

    @Test
    void whatWouldChangeTheAnswersMeaning_isRefused() throws Exception {
        String messages = "'messages': [{'role': 'user', 'content': 'hi'}]";
        assertTrue(refusal("{" + messages + ", 'tools': []}").contains("'tools'"));
        assertTrue(refusal("{" + messages + ", 'response_format': {'type': 'json'}}").contains("response_format"));
        assertTrue(refusal("{" + messages + ", 'n': 2}").contains("n or best_of other than 1"));
        assertTrue(refusal("{" + messages + ", 'echo': true}").contains("echo"));
        assertTrue(refusal("{" + messages + ", 'logprobs': 3}").contains("logprobs"));
        assertTrue(refusal("{" + messages + ", 'suffix': 'x'}").contains("suffix"));
        assertTrue(refusal("{" + messages + ", 'logprobs': true}").contains("logprobs"));
        assertTrue(refusal("{" + messages + ", 'max_tokens': 5000}").contains("from 1 to 4096"));
        assertTrue(refusal("{" + messages + ", 'max_tokens': 2.5}").contains("whole number"));
        assertTrue(refusal("{" + messages + ", 'temperature': -1}").contains("temperature"));
        assertTrue(refusal("{" + messages + ", 'top_p': 0}").contains("top_p"));
        assertTrue(refusal("{" + messages + ", 'stop': ['a', '', 'b']}").contains("stop"));
        assertTrue(refusal("{" + messages + ", 'seed': 'x'}").contains("seed"));
        assertTrue(refusal("{'messages': []}").contains("non-empty"));
        assertTrue(refusal("{'messages': [{'role': 'robot', 'content': 'x'}]}").contains("robot"));
        assertTrue(refusal("{'messages': [{'role': 'user', 'content': [{'type': 'image_url'}]}]}")
                .contains("image_url"));
        assertTrue(refusal("{'messages': [{'role': 'user'}]}").contains("content must be text"));
    }
}
