package io.contactmirror.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** An endpoint that fails unexpectedly, so tests can see what a 500 looks like. */
@RestController
@ConditionalOnProperty("contactmirror.test.failing-endpoint")
class FailingTestEndpoint {

    @GetMapping("/api/v1/test-failure")
    String fail() {
        throw new IllegalStateException("secret internal detail");
    }
}
