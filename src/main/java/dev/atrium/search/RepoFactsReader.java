package dev.atrium.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.card.CardMetadata;
import dev.atrium.card.FrontMatter;
import dev.atrium.card.InvalidCardException;
import dev.atrium.http.Json;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.TreeReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Derives {@link RepoFacts} from a commit: the card's metadata, {@code config.json}, safetensors and GGUF headers
 * (read in place, never whole files) and the files present. A malformed file becomes a warning, never an error.
 */
public final class RepoFactsReader {
    private static final int MAX_README = 1 << 20;
    private static final int MAX_CONFIG = 1 << 20;
    private static final int MAX_SAFETENSORS_FILES = 256;
    /** Architecture class suffixes (transformers naming) and the task they imply when a card names none. */
    private static final Map<String, String> TASK_BY_HEAD = new LinkedHashMap<>();

    static {
        TASK_BY_HEAD.put("ForCausalLM", "text-generation");
        TASK_BY_HEAD.put("ForMaskedLM", "fill-mask");
        TASK_BY_HEAD.put("ForSequenceClassification", "text-classification");
        TASK_BY_HEAD.put("ForTokenClassification", "token-classification");
        TASK_BY_HEAD.put("ForQuestionAnswering", "question-answering");
        TASK_BY_HEAD.put("ForImageClassification", "image-classification");
        TASK_BY_HEAD.put("ForObjectDetection", "object-detection");
        TASK_BY_HEAD.put("ForCTC", "automatic-speech-recognition");
        TASK_BY_HEAD.put("ForSpeechSeq2Seq", "automatic-speech-recognition");
        TASK_BY_HEAD.put("ForAudioClassification", "audio-classification");
        TASK_BY_HEAD.put("ForImageTextToText", "image-text-to-text");
        TASK_BY_HEAD.put("ForConditionalGeneration", "text-generation");
        TASK_BY_HEAD.put("Model", "feature-extraction");
    }

    private final LfsObjects lfs;

    public RepoFactsReader(LfsObjects lfs) {
        this.lfs = lfs;
    }

    public RepoFacts read(Repository git, Repo repo, RevCommit commit) throws IOException {
        return read(git, repo, commit, TreeReader.list(git, commit, "", true));
    }

    /** The same, from the commit's recursive listing when the caller already has it. */
    public RepoFacts read(Repository git, Repo repo, RevCommit commit, List<FileEntry> tree) throws IOException {
        List<FileEntry> files = tree.stream().filter(f -> !f.isDirectory()).toList();
        Map<String, FileEntry> byPath = new LinkedHashMap<>();
        files.forEach(f -> byPath.put(f.path(), f));
        List<String> warnings = new ArrayList<>();
        ObjectNode extra = Json.MAPPER.createObjectNode();

        CardMetadata card = readCard(git, repo, byPath.get("README.md"), warnings);
        warnings.addAll(card.warnings());

        Optional<JsonNode> config = repo.type() == RepoType.MODEL
                ? readConfig(git, repo, byPath.get("config.json"), warnings) : Optional.empty();
        if (repo.type() == RepoType.MODEL) {
            if (config.isPresent()) {
                ObjectNode subset = configSubset(config.get());
                chatTemplate(git, repo, byPath, warnings, subset);
                extra.set("config", subset);
            }
            safetensors(git, repo, byPath, warnings).ifPresent(s -> extra.set("safetensors", s));
            gguf(git, repo, files, warnings).ifPresent(g -> extra.set("gguf", g));
        }

        Set<String> fileTags = fileTags(files);
        Optional<String> library = card.libraryName().or(() -> inferLibrary(byPath, repo.type()));
        Optional<String> task = card.pipelineTag().or(() -> config.flatMap(RepoFactsReader::inferTask));

        Set<String> tags = new LinkedHashSet<>();
        Set<String> filterTags = new LinkedHashSet<>();
        if (repo.type() == RepoType.MODEL) {
            library.ifPresent(tags::add);
            tags.addAll(fileTags);
            config.map(c -> c.path("model_type")).filter(JsonNode::isTextual).map(JsonNode::asText).ifPresent(tags::add);
            task.ifPresent(tags::add);
            tags.addAll(card.tags());
            tags.addAll(card.languages());
            card.languages().forEach(l -> filterTags.add("language:" + l));
            card.datasets().forEach(d -> tags.add("dataset:" + d));
            card.arxivIds().forEach(a -> tags.add("arxiv:" + a));
            Optional<String> relation = baseModelRelation(card, byPath, config);
            for (String base : card.baseModels()) {
                tags.add("base_model:" + base);
                relation.ifPresent(r -> tags.add("base_model:" + r + ":" + base));
            }
        } else {
            if (repo.type() == RepoType.SPACE) {
                // The Hub tags a Space with its SDK, so list_spaces(filter="gradio") finds it.
                Object sdk = card.data().get("sdk");
                String name = sdk instanceof String s && !s.isBlank() ? s.strip().toLowerCase(java.util.Locale.ROOT)
                        : repo.sdk();
                if (name != null) {
                    tags.add(name);
                }
            }
            tags.addAll(card.tags());
            card.taskCategories().forEach(t -> tags.add("task_categories:" + t));
            card.sizeCategories().forEach(t -> tags.add("size_categories:" + t));
            card.languages().forEach(l -> tags.add("language:" + l));
            card.arxivIds().forEach(a -> tags.add("arxiv:" + a));
        }
        card.license().ifPresent(l -> tags.add("license:" + l.toLowerCase(java.util.Locale.ROOT)));
        library.ifPresent(l -> filterTags.add("library:" + l));
        filterTags.addAll(tags);

        if (!warnings.isEmpty()) {
            ArrayNode list = extra.putArray("warnings");
            warnings.forEach(list::add);
        }
        return new RepoFacts(commit.name(), commit.getCommitterIdent().getWhenAsInstant().toEpochMilli(), card,
                task, library, List.copyOf(tags), List.copyOf(filterTags), extra);
    }

    private CardMetadata readCard(Repository git, Repo repo, FileEntry readme, List<String> warnings)
            throws IOException {
        if (readme == null) {
            return CardMetadata.EMPTY;
        }
        if (readme.size() > MAX_README) {
            warnings.add("README.md: larger than " + (MAX_README >> 20) + " MiB, its metadata is not read");
            return CardMetadata.EMPTY;
        }
        String text = new String(contents(git, repo, readme, MAX_README), StandardCharsets.UTF_8);
        try {
            Optional<String> yaml = FrontMatter.extract(text);
            if (yaml.isEmpty()) {
                return CardMetadata.of(Map.of(), text);
            }
            return CardMetadata.of(FrontMatter.parse(yaml.get()), text);
        } catch (InvalidCardException e) {
            warnings.add("README.md: " + e.getMessage());
            return CardMetadata.of(Map.of(), text);
        }
    }

    private Optional<JsonNode> readConfig(Repository git, Repo repo, FileEntry entry, List<String> warnings)
            throws IOException {
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.size() > MAX_CONFIG) {
            warnings.add(entry.path() + ": larger than " + (MAX_CONFIG >> 20) + " MiB, not read");
            return Optional.empty();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(contents(git, repo, entry, MAX_CONFIG));
            if (node == null || !node.isObject()) {
                warnings.add(entry.path() + ": not a JSON object");
                return Optional.empty();
            }
            return Optional.of(node);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            warnings.add(entry.path() + ": not valid JSON");
            return Optional.empty();
        }
    }

    /**
     * What the Hub adds to {@code config} about the tokenizer: {@code tokenizer_config} (its chat template and special
     * tokens) and {@code chat_template_jinja}, the template that newer transformers save as a file of its own. The
     * model page offers a chat for models with either.
     */
    private void chatTemplate(Repository git, Repo repo, Map<String, FileEntry> files, List<String> warnings,
                              ObjectNode config) throws IOException {
        Optional<JsonNode> tokenizer = readConfig(git, repo, files.get("tokenizer_config.json"), warnings);
        tokenizer.ifPresent(t -> {
            ObjectNode subset = Json.MAPPER.createObjectNode();
            for (String key : List.of("chat_template", "bos_token", "eos_token", "pad_token", "unk_token")) {
                if (t.has(key) && !t.get(key).isNull()) {
                    subset.set(key, t.get(key));
                }
            }
            if (!subset.isEmpty()) {
                config.set("tokenizer_config", subset);
            }
        });
        FileEntry jinja = files.get("chat_template.jinja");
        if (jinja != null && jinja.size() <= MAX_CONFIG) {
            config.put("chat_template_jinja", new String(contents(git, repo, jinja, MAX_CONFIG),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Whether the facts' config names a chat template (the Hub's {@code config} fields above). */
    public static boolean hasChatTemplate(RepoFacts facts) {
        JsonNode config = facts.extra().path("config");
        return config.hasNonNull("chat_template_jinja") || config.path("tokenizer_config").hasNonNull("chat_template");
    }

    /** The part of config.json the Hub returns as {@code config}. */
    private static ObjectNode configSubset(JsonNode config) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String key : List.of("architectures", "model_type", "task_specific_params", "quantization_config")) {
            if (config.has(key)) {
                out.set(key, config.get(key));
            }
        }
        return out;
    }

    private static Optional<String> inferTask(JsonNode config) {
        JsonNode architectures = config.path("architectures");
        if (!architectures.isArray() || architectures.isEmpty() || !architectures.get(0).isTextual()) {
            return Optional.empty();
        }
        String architecture = architectures.get(0).asText();
        for (Map.Entry<String, String> e : TASK_BY_HEAD.entrySet()) {
            if (architecture.endsWith(e.getKey())) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> inferLibrary(Map<String, FileEntry> files, RepoType type) {
        if (type != RepoType.MODEL) {
            return Optional.empty();
        }
        if (files.containsKey("config_sentence_transformers.json") || files.containsKey("modules.json")) {
            return Optional.of("sentence-transformers");
        }
        if (files.containsKey("adapter_config.json")) {
            return Optional.of("peft");
        }
        if (files.containsKey("model_index.json")) {
            return Optional.of("diffusers");
        }
        if (files.containsKey("config.json")) {
            return Optional.of("transformers");
        }
        if (files.keySet().stream().anyMatch(p -> p.endsWith(".gguf"))) {
            return Optional.of("gguf");
        }
        return Optional.empty();
    }

    private static Set<String> fileTags(List<FileEntry> files) {
        Set<String> tags = new TreeSet<>();
        for (FileEntry f : files) {
            String name = f.path().substring(f.path().lastIndexOf('/') + 1);
            if (name.endsWith(".safetensors")) {
                tags.add("safetensors");
            } else if (name.endsWith(".gguf")) {
                tags.add("gguf");
            } else if (name.endsWith(".onnx")) {
                tags.add("onnx");
            } else if (name.startsWith("pytorch_model") && name.endsWith(".bin") || name.endsWith(".pt")
                    || name.endsWith(".pth")) {
                tags.add("pytorch");
            } else if (name.startsWith("tf_model") && name.endsWith(".h5")) {
                tags.add("tf");
            } else if (name.startsWith("flax_model") && name.endsWith(".msgpack")) {
                tags.add("jax");
            }
        }
        return tags;
    }

    /** Parameter counts of the model's safetensors weights: the sharded set its index names, or the root files. */
    private Optional<ObjectNode> safetensors(Repository git, Repo repo, Map<String, FileEntry> files,
                                             List<String> warnings) throws IOException {
        Set<String> weights = new LinkedHashSet<>();
        FileEntry index = files.get("model.safetensors.index.json");
        if (index != null && index.size() <= MAX_CONFIG) {
            try {
                JsonNode map = Json.MAPPER.readTree(contents(git, repo, index, MAX_CONFIG)).path("weight_map");
                map.elements().forEachRemaining(v -> weights.add(v.asText()));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                warnings.add("model.safetensors.index.json: not valid JSON");
            }
        }
        if (weights.isEmpty()) {
            files.keySet().stream().filter(p -> !p.contains("/") && p.endsWith(".safetensors")).forEach(weights::add);
        }
        if (weights.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> parameters = new java.util.TreeMap<>();
        int read = 0;
        for (String name : weights) {
            FileEntry file = files.get(name);
            if (file == null) {
                warnings.add("model.safetensors.index.json: names " + name + ", which is not in the repo");
                continue;
            }
            if (++read > MAX_SAFETENSORS_FILES) {
                warnings.add("safetensors: more than " + MAX_SAFETENSORS_FILES + " files, the rest are not counted");
                break;
            }
            try {
                Safetensors.parameters(reader(git, repo, file)).forEach((k, v) -> parameters.merge(k, v, Long::sum));
            } catch (MalformedHeaderException e) {
                warnings.add(name + ": " + e.getMessage());
            }
        }
        if (parameters.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode byDtype = out.putObject("parameters");
        parameters.forEach(byDtype::put);
        out.put("total", parameters.values().stream().mapToLong(Long::longValue).sum());
        return Optional.of(out);
    }

    /** The first GGUF file at the root (repos often hold several quantisations of one model). */
    private Optional<ObjectNode> gguf(Repository git, Repo repo, List<FileEntry> files, List<String> warnings)
            throws IOException {
        Optional<FileEntry> first = files.stream().filter(f -> !f.path().contains("/") && f.path().endsWith(".gguf"))
                .findFirst();
        if (first.isEmpty()) {
            return Optional.empty();
        }
        try {
            Gguf.Info info = Gguf.read(reader(git, repo, first.get()));
            ObjectNode out = Json.MAPPER.createObjectNode().put("total", info.totalParameters());
            if (!info.architecture().isEmpty()) {
                out.put("architecture", info.architecture());
            }
            if (info.contextLength() > 0) {
                out.put("context_length", info.contextLength());
            }
            return Optional.of(out);
        } catch (MalformedHeaderException e) {
            warnings.add(first.get().path() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private HeaderReader reader(Repository git, Repo repo, FileEntry file) {
        if (file.lfs() != null) {
            return (offset, length) -> lfs.readRange(repo, file.lfs().oid(), offset, length);
        }
        return (offset, length) -> {
            ObjectLoader loader = git.open(ObjectId.fromString(file.oid()), Constants.OBJ_BLOB);
            try (InputStream in = loader.openStream()) {
                in.skipNBytes(Math.min(offset, loader.getSize()));
                return in.readNBytes(length);
            }
        };
    }

    private byte[] contents(Repository git, Repo repo, FileEntry file, int limit) throws IOException {
        return reader(git, repo, file).read(0, limit);
    }

    /**
     * How a model derives from its base models, for the model tree: what the card says ({@code base_model_relation}),
     * else the Hub's reading of the files: an adapter's config makes an adapter, GGUF files or a quantization config
     * a quantization, several bases a merge, anything else a fine-tune.
     */
    static Optional<String> baseModelRelation(CardMetadata card, Map<String, FileEntry> byPath,
                                              Optional<JsonNode> config) {
        if (card.baseModels().isEmpty()) {
            return Optional.empty();
        }
        if (card.baseModelRelation().isPresent()) {
            return card.baseModelRelation();
        }
        if (byPath.containsKey("adapter_config.json")) {
            return Optional.of("adapter");
        }
        if (byPath.keySet().stream().anyMatch(p -> p.endsWith(".gguf"))
                || config.filter(c -> c.has("quantization_config")).isPresent()) {
            return Optional.of("quantized");
        }
        return Optional.of(card.baseModels().size() > 1 ? "merge" : "finetune");
    }
}
