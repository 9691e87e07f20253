package io.contactmirror.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Each compat controller is registered from its flag in {@link CompatProperties}: on by default, off when false. */
class CompatApiConditionTest {

    @ConditionalOnCompatApi(CompatProperties.Api.GOWA)
    static class Gowa {}

    @ConditionalOnCompatApi(CompatProperties.Api.WHATSMEOW)
    static class Whatsmeow {}

    @ConditionalOnCompatApi(CompatProperties.Api.WUTS)
    static class Wuts {}

    @ConditionalOnCompatApi(CompatProperties.Api.GREEN_API)
    static class GreenApi {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Gowa.class, Whatsmeow.class, Wuts.class, GreenApi.class);

    @Test
    void everyApiIsMountedByDefault() {
        runner.run(context -> assertThat(context)
                .hasSingleBean(Gowa.class)
                .hasSingleBean(Whatsmeow.class)
                .hasSingleBean(Wuts.class)
                .hasSingleBean(GreenApi.class));
    }

    @Test
    void aFalseFlagLeavesOnlyItsApiOut() {
        runner.withPropertyValues(
                        "contactmirror.compat.green-api.enabled=false", "contactmirror.compat.gowa.enabled=true")
                .run(context -> assertThat(context)
                        .hasSingleBean(Gowa.class)
                        .hasSingleBean(Whatsmeow.class)
                        .hasSingleBean(Wuts.class)
                        .doesNotHaveBean(GreenApi.class));
    }

    @Test
    void aValueThatIsNoBooleanFailsTheStart() {
        runner.withPropertyValues("contactmirror.compat.wuts.enabled=maybe")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasMessageContaining("contactmirror.compat.wuts.enabled"));
    }
}
