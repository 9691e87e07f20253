package io.contactmirror.security;

import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TokenService;
import io.contactmirror.tenant.TokenUsageRecorder;
import io.contactmirror.web.ErrorResponseWriter;
import java.time.Clock;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * Three stateless filter chains: actuator (health open, the rest for the management port or the operator), the
 * operator API behind the operator token, and everything else behind tenant tokens with per-scope rules. The
 * OpenAPI document and Swagger UI stay open. Failed authentications are throttled per source address everywhere.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({OperatorProperties.class, RateLimitProperties.class})
class SecurityConfiguration {

    @Bean
    EnvelopeSecurityHandlers envelopeSecurityHandlers(ErrorResponseWriter errorWriter) {
        return new EnvelopeSecurityHandlers(errorWriter);
    }

    @Bean
    FailedAuthenticationThrottle failedAuthenticationThrottle(
            RateLimitProperties properties, ErrorResponseWriter errorWriter) {
        return new FailedAuthenticationThrottle(properties, errorWriter);
    }

    /** A plain servlet filter (not part of a security chain): it must run before anything reads the path. */
    @Bean
    FilterRegistrationBean<PathTokenFilter> pathTokenFilter() {
        PathTokenFilter filter = new PathTokenFilter();
        FilterRegistrationBean<PathTokenFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(filter.getOrder());
        return registration;
    }

    // A chain's own filters are not servlet filters: keep Boot from also registering these beans for every request.
    @Bean
    FilterRegistrationBean<FailedAuthenticationThrottle> failedAuthenticationThrottleRegistration(
            FailedAuthenticationThrottle throttle) {
        FilterRegistrationBean<FailedAuthenticationThrottle> registration = new FilterRegistrationBean<>(throttle);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    @Order(1)
    SecurityFilterChain operatorChain(
            HttpSecurity http,
            OperatorProperties properties,
            ErrorResponseWriter errorWriter,
            EnvelopeSecurityHandlers handlers,
            FailedAuthenticationThrottle throttle)
            throws Exception {
        return stateless(http, handlers)
                .securityMatcher("/admin/**")
                .addFilterBefore(throttle, BasicAuthenticationFilter.class)
                .addFilterAfter(
                        new OperatorTokenFilter(properties.token(), errorWriter, throttle, true),
                        FailedAuthenticationThrottle.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().hasRole(OperatorTokenFilter.OPERATOR_ROLE))
                .build();
    }

    /**
     * Actuator: health is public (probes); everything else (Prometheus) is served to anyone only where the
     * management port is separate (the chart's setup, a port never routed publicly), else only to the operator.
     */
    @Bean
    @Order(0)
    SecurityFilterChain actuatorChain(
            HttpSecurity http,
            OperatorProperties properties,
            ErrorResponseWriter errorWriter,
            EnvelopeSecurityHandlers handlers,
            FailedAuthenticationThrottle throttle,
            Environment environment)
            throws Exception {
        boolean separatePort = ManagementPortType.get(environment) == ManagementPortType.DIFFERENT;
        return stateless(http, handlers)
                .securityMatcher("/actuator", "/actuator/**")
                .addFilterBefore(throttle, BasicAuthenticationFilter.class)
                .addFilterAfter(
                        new OperatorTokenFilter(properties.token(), errorWriter, throttle, false),
                        FailedAuthenticationThrottle.class)
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers("/actuator/health", "/actuator/health/**")
                            .permitAll();
                    if (separatePort) {
                        auth.anyRequest().permitAll();
                    } else {
                        auth.anyRequest().hasRole(OperatorTokenFilter.OPERATOR_ROLE);
                    }
                })
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(
            HttpSecurity http,
            TokenService tokenService,
            TokenUsageRecorder usageRecorder,
            Clock clock,
            EnvelopeSecurityHandlers handlers,
            RateLimitProperties rateLimit,
            ErrorResponseWriter errorWriter,
            FailedAuthenticationThrottle throttle)
            throws Exception {
        var authenticationFilter = new AuthenticationFilter(
                new ProviderManager(new TokenAuthenticationProvider(tokenService, usageRecorder, clock)),
                new TokenCredentialsConverter());
        authenticationFilter.setSuccessHandler((request, response, authentication) -> {});
        var failureHandler = new AuthenticationEntryPointFailureHandler(handlers);
        // The entry point answers a token store outage with 503 itself; rethrown, it would reach the container's log.
        failureHandler.setRethrowAuthenticationServiceException(false);
        authenticationFilter.setFailureHandler((request, response, exception) -> {
            throttle.failed(request);
            failureHandler.onAuthenticationFailure(request, response, exception);
        });
        authenticationFilter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
        return stateless(http, handlers)
                .addFilterBefore(throttle, BasicAuthenticationFilter.class)
                .addFilterAfter(authenticationFilter, FailedAuthenticationThrottle.class)
                .addFilterAfter(new RateLimitFilter(rateLimit, errorWriter), AuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth.requestMatchers("/error")
                        .permitAll()
                        .requestMatchers(
                                "/v3/api-docs",
                                "/v3/api-docs.yaml",
                                "/v3/api-docs/**",
                                "/swagger-ui.html",
                                "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**")
                        .hasAuthority(Scope.TOKENS_MANAGE.authority())
                        .requestMatchers(HttpMethod.GET, "/api/v1/instances", "/api/v1/instances/**")
                        .hasAuthority(Scope.INSTANCES_READ.authority())
                        .requestMatchers("/api/v1/instances", "/api/v1/instances/**")
                        .hasAuthority(Scope.INSTANCES_WRITE.authority())
                        .requestMatchers(HttpMethod.GET, "/api/v1/contacts", "/api/v1/contacts/**")
                        .hasAuthority(Scope.CONTACTS_READ.authority())
                        .requestMatchers(HttpMethod.GET, "/api/v1/events")
                        .hasAuthority(Scope.CONTACTS_READ.authority())
                        .requestMatchers(HttpMethod.POST, "/api/v1/contacts/resolve")
                        .hasAuthority(Scope.CONTACTS_READ.authority())
                        .requestMatchers("/api/v1/contacts", "/api/v1/contacts/**")
                        .hasAuthority(Scope.CONTACTS_WRITE.authority())
                        // Webhooks send contacts out: reading them needs contacts:read, managing them contacts:write
                        // (creating one needs contacts:read too; the webhook service checks that).
                        .requestMatchers(HttpMethod.GET, "/api/v1/webhooks", "/api/v1/webhooks/**")
                        .hasAuthority(Scope.CONTACTS_READ.authority())
                        .requestMatchers("/api/v1/webhooks", "/api/v1/webhooks/**")
                        .hasAuthority(Scope.CONTACTS_WRITE.authority())
                        // The compatibility routes only read contacts; only path tokens get into the Green API one.
                        .requestMatchers("/user/**", "/getcontact", "/getcontacts", "/contacts", "/waInstance*/**")
                        .hasAuthority(Scope.CONTACTS_READ.authority())
                        .anyRequest()
                        .authenticated())
                .build();
    }

    private static HttpSecurity stateless(HttpSecurity http, EnvelopeSecurityHandlers handlers) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
    }
}
