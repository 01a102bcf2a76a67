package dev.atrium.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TagsByTypeApiTest {
    @Test
    void languageLabel_namesKnownCodes_andKeepsOthers() {
        assertEquals("English", TagsByTypeApi.languageLabel("en"));
        assertEquals("French", TagsByTypeApi.languageLabel("fr"));
        assertEquals("Chinese", TagsByTypeApi.languageLabel("zh"));
        assertEquals("Filipino", TagsByTypeApi.languageLabel("fil"));
        assertEquals("multilingual", TagsByTypeApi.languageLabel("multilingual"));
        assertEquals("code", TagsByTypeApi.languageLabel("code"));
        assertEquals("qxq", TagsByTypeApi.languageLabel("qxq"));
    }
}
