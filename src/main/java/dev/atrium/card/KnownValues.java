package dev.atrium.card;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The values the Hub recognises in card metadata. Others are accepted and kept, but reported as warnings on the repo,
 * as the Hub does: a typo in a license id or a task should be visible, not silently lost.
 */
public final class KnownValues {
    /** The Hub's license identifiers (its "license" metadata field), lower case. */
    public static final Set<String> LICENSES = Set.of(
            "apache-2.0", "mit", "openrail", "bigscience-openrail-m", "creativeml-openrail-m", "bigscience-bloom-rail-1.0",
            "bigcode-openrail-m", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd", "bsd-2-clause", "bsd-3-clause",
            "bsd-3-clause-clear", "c-uda", "cc", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
            "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
            "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0",
            "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0", "epl-1.0", "epl-2.0",
            "etalab-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0", "gfdl", "gpl", "gpl-2.0", "gpl-3.0", "lgpl", "lgpl-2.1",
            "lgpl-3.0", "isc", "h-research", "intel-research", "lppl-1.3c", "ms-pl", "apple-ascl", "apple-amlr",
            "mpl-2.0", "odc-by", "odbl", "openmdw-1.0", "openrail++", "osl-3.0", "postgresql", "ofl-1.1", "ncsa",
            "unlicense", "zlib", "pddl", "lgpl-lr", "deepfloyd-if-license", "fair-noncommercial-research-license",
            "llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4", "gemma", "unknown", "other");

    /** The Hub's tasks ({@code pipeline_tag}). */
    public static final Set<String> PIPELINE_TAGS = Set.of(
            "text-classification", "token-classification", "table-question-answering", "question-answering",
            "zero-shot-classification", "translation", "summarization", "feature-extraction", "text-generation",
            "fill-mask", "sentence-similarity", "text-to-speech", "text-to-audio", "automatic-speech-recognition",
            "audio-to-audio", "audio-classification", "audio-text-to-text", "voice-activity-detection",
            "depth-estimation", "image-classification", "object-detection", "image-segmentation", "text-to-image",
            "image-to-text", "image-to-image", "image-to-video", "unconditional-image-generation", "video-classification",
            "reinforcement-learning", "robotics", "tabular-classification", "tabular-regression",
            "tabular-to-text", "table-to-text", "multiple-choice", "text-ranking", "text-retrieval",
            "time-series-forecasting", "text-to-video", "image-text-to-text", "image-text-to-image",
            "image-text-to-video", "visual-question-answering", "document-question-answering",
            "zero-shot-image-classification", "graph-ml", "mask-generation", "zero-shot-object-detection",
            "text-to-3d", "image-to-3d", "image-feature-extraction", "video-text-to-text", "keypoint-detection",
            "visual-document-retrieval", "any-to-any", "video-to-video", "other");

    /** Relations a model may have to its {@code base_model}. */
    public static final Set<String> BASE_MODEL_RELATIONS = Set.of("adapter", "merge", "quantized", "finetune");
    /** The colours a Space card's gradient may use ({@code colorFrom}, {@code colorTo}), in the Hub's order. */
    public static final java.util.List<String> SPACE_COLORS = java.util.List.of("red", "yellow", "green", "blue",
            "indigo", "purple", "pink", "gray");

    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
    private static final Set<String> ISO_639 = Stream.of(Locale.getISOLanguages())
            .flatMap(code -> Stream.of(code, iso3(code)))
            .filter(code -> !code.isEmpty())
            .collect(Collectors.toUnmodifiableSet());

    private KnownValues() {}

    private static String iso3(String code) {
        try {
            return Locale.forLanguageTag(code).getISO3Language();
        } catch (java.util.MissingResourceException e) {
            return "";
        }
    }

    /**
     * Whether a {@code language} value is an ISO 639-1 code or an ISO 639-2/3 code the JDK knows, optionally with a
     * region or script subtag ({@code en}, {@code fra}, {@code pt-BR}, {@code zh-Hant}).
     */
    public static boolean isLanguage(String value) {
        if (!LANGUAGE.matcher(value).matches()) {
            return false;
        }
        int dash = value.indexOf('-');
        return ISO_639.contains(dash < 0 ? value : value.substring(0, dash));
    }
}
