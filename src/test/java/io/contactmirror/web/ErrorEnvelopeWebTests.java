package io.contactmirror.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Web-only rules of the error envelope, on the MVC slice: no database, no security chain (the full-context
 * {@code ErrorEnvelopeTest} covers those), just the advice, the bodies and a controller that fails on purpose.
 */
@WebMvcTest(controllers = ErrorEnvelopeWebTests.Failing.class)
@AutoConfigureMockMvc(addFilters = false)
@ExtendWith(OutputCaptureExtension.class)
@Import({ApiExceptionHandler.class, ErrorBodies.class, ErrorResponseWriter.class, ErrorEnvelopeWebTests.Failing.class})
class ErrorEnvelopeWebTests {

    @Autowired
    MockMvc mvc;

    @RestController
    static class Failing {

        @GetMapping("/web-test/retry-later")
        String retryLater() {
            throw ApiException.retryLater("Busy; retry", Duration.ofSeconds(7));
        }

        @GetMapping("/web-test/unavailable")
        String unavailable() {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Held elsewhere; retry (Retry-After: 1)");
        }

        @GetMapping("/web-test/conflict")
        String conflict() {
            throw new ApiException(ErrorCode.CONFLICT, "Already there");
        }

        @GetMapping("/web-test/client-left")
        String clientLeft() {
            // What Jackson's converter throws when the client closed the connection mid-response.
            throw new HttpMessageNotWritableException("Could not write JSON", new IOException("Broken pipe"));
        }

        @PostMapping(value = "/web-test/echo", consumes = MediaType.APPLICATION_JSON_VALUE)
        Map<String, Object> echo(@RequestBody Map<String, Object> body) {
            return body;
        }
    }

    @Test
    void sendsTheRetryAfterTheExceptionCarries() throws Exception {
        mvc.perform(get("/web-test/retry-later"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "7"))
                .andExpect(jsonPath("$.error_code", is("SERVICE_UNAVAILABLE")))
                .andExpect(jsonPath("$.error", is("Busy; retry")));
    }

    @Test
    void everyServiceUnavailableCarriesARetryAfter() throws Exception {
        mvc.perform(get("/web-test/unavailable"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"));
    }

    @Test
    void otherErrorsSendNoRetryAfter() throws Exception {
        mvc.perform(get("/web-test/conflict"))
                .andExpect(status().isConflict())
                .andExpect(header().doesNotExist("Retry-After"))
                .andExpect(jsonPath("$.error_code", is("CONFLICT")));
    }

    @Test
    void malformedJsonIsAMalformedRequest() throws Exception {
        mvc.perform(post("/web-test/echo")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\": "))
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", "application/json"))
                .andExpect(jsonPath("$.success", is(false)))
                .andExpect(jsonPath("$.error_code", is("MALFORMED_REQUEST")));
    }

    @Test
    void unknownRouteIsNotFound() throws Exception {
        mvc.perform(get("/web-test/nothing-here"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_code", is("NOT_FOUND")))
                .andExpect(jsonPath("$.error", is("No such resource")));
    }

    @Test
    void wrongMethodIsMethodNotAllowedWithTheAllowedOnes() throws Exception {
        mvc.perform(delete("/web-test/conflict"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "GET"))
                .andExpect(jsonPath("$.error_code", is("METHOD_NOT_ALLOWED")));
    }

    @Test
    void wrongContentTypeIsUnsupportedMediaType() throws Exception {
        mvc.perform(post("/web-test/echo").contentType(MediaType.TEXT_PLAIN).content("hello"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.error_code", is("UNSUPPORTED_MEDIA_TYPE")));
    }

    @Test
    void aClientThatLeftMidResponseIsNoServerError(CapturedOutput output) throws Exception {
        mvc.perform(get("/web-test/client-left"));

        assertThat(output).doesNotContain("INTERNAL_SERVER_ERROR").doesNotContain("Broken pipe");
    }
}
