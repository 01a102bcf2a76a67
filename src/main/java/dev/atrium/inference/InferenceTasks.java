package dev.atrium.inference;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tasks the worker runs ({@code worker.py}'s list), each with the input the widget offers when the model card
 * gives none (images: none). Those that transformers 5 no longer has as pipelines (question answering,
 * summarization, translation) are not among them.
 */
public final class InferenceTasks {
    /** Task → a sample input. */
    public static final Map<String, String> SERVED;

    static {
        Map<String, String> tasks = new LinkedHashMap<>();
        tasks.put("text-classification", "I like you. I love you.");
        tasks.put("token-classification", "My name is Sarah and I live in London.");
        tasks.put("fill-mask", "Paris is the [MASK] of France.");
        tasks.put("feature-extraction", "Today is a sunny day.");
        tasks.put("zero-shot-classification", "I have a problem with my iphone that needs to be resolved asap!");
        tasks.put("text-generation", "Once upon a time,");
        tasks.put("image-classification", "");
        tasks.put("sentence-similarity", "That is a happy person");
        SERVED = java.util.Collections.unmodifiableMap(tasks);
    }

    private InferenceTasks() {}

    public static boolean served(String task) {
        return SERVED.containsKey(task);
    }

    /** The InferenceClient call for the task, as the model page's snippet shows it; a chat for chat models. */
    public static String call(String task, boolean chat) {
        if (chat) {
            return "client.chat_completion([{\"role\": \"user\", \"content\": \"Hello!\"}])";
        }
        return switch (task) {
            case "image-classification" -> "client.image_classification(\"cat.jpg\")";
            case "sentence-similarity" -> "client.sentence_similarity(\"" + SERVED.get(task)
                    + "\", other_sentences=[\"That is a happy dog\"])";
            case "zero-shot-classification" -> "client.zero_shot_classification(\"" + SERVED.get(task)
                    + "\", candidate_labels=[\"urgent\", \"phone\"])";
            default -> "client." + task.replace('-', '_') + "(\"" + SERVED.get(task).replace("\"", "\\\"")
                    + "\")";
        };
    }

    /** Whether the task's input is an image, which clients send as the request's body. */
    public static boolean takesImages(String task) {
        return task.startsWith("image-");
    }
}
