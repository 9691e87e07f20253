package io.contactmirror.feed;

import io.contactmirror.support.TestInstances;
import io.contactmirror.support.TestTenants;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The feed tests' shared context on a real port (streams need real HTTP): pruning every half second in batches of
 * three, heartbeats every half second, two streams per token.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "contactmirror.rate-limit.requests-per-second=0",
            "contactmirror.changes.prune-interval=PT0.5S",
            "contactmirror.changes.prune-batch-size=3",
            "contactmirror.events.heartbeat-interval=PT0.5S",
            "contactmirror.events.max-streams-per-token=2"
        })
@Import({TestTenants.class, TestInstances.class})
@ActiveProfiles("test")
@interface FeedTest {}
