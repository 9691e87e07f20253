package io.contactmirror.security;

import io.contactmirror.tenant.Scope;
import io.contactmirror.tenant.TokenService;
import io.contactmirror.tenant.TokenUsageRecorder;
import io.contactmirror.web.ErrorResponseWriter;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
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
 * Two stateless filter chains: the operator API behind the operator token, and everything else behind tenant
 * Bearer tokens with per-scope rules. Health probes, the OpenAPI document and Swagger UI stay open.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({OperatorProperties.class, RateLimitProperties.class})
class SecurityConfiguration {

    @Bean
    EnvelopeSecurityHandlers envelopeSecurityHandlers(ErrorResponseWriter errorWriter) {
        return new EnvelopeSecurityHandlers(errorWriter);
    }

    @Bean
    @Order(1)
    SecurityFilterChain operatorChain(
            HttpSecurity http,
            OperatorProperties properties,
            ErrorResponseWriter errorWriter,
            EnvelopeSecurityHandlers handlers) throws Exception {
        return stateless(http, handlers)
                .securityMatcher("/admin/**")
                .addFilterBefore(new OperatorTokenFilter(properties.token(), errorWriter), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth.anyRequest().hasRole(OperatorTokenFilter.OPERATOR_ROLE))
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
            ErrorResponseWriter errorWriter) throws Exception {
        var authenticationFilter = new AuthenticationFilter(
                new ProviderManager(new TokenAuthenticationProvider(tokenService, usageRecorder, clock)),
                new TokenCredentialsConverter());
        authenticationFilter.setSuccessHandler((request, response, authentication) -> {});
        var failureHandler = new AuthenticationEntryPointFailureHandler(handlers);
        // The entry point answers a token store outage with 503 itself; rethrown, it would reach the container's log.
        failureHandler.setRethrowAuthenticationServiceException(false);
        authenticationFilter.setFailureHandler(failureHandler);
        authenticationFilter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
        return stateless(http, handlers)
                .addFilterBefore(authenticationFilter, BasicAuthenticationFilter.class)
                .addFilterAfter(new RateLimitFilter(rateLimit, errorWriter), AuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        // Probes and metrics carry no tenant data; in Kubernetes they live on the management port,
                        // which the chart never routes publicly.
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/error")
                        .permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**")
                        .hasAuthority(Scope.TOKENS_MANAGE.authority())
                        .requestMatchers(HttpMethod.GET, "/api/v1/instances", "/api/v1/instances/**")
                        .hasAuthority(Scope.INSTANCES_READ.authority())
                        .requestMatchers("/api/v1/instances", "/api/v1/instances/**")
                        .hasAuthority(Scope.INSTANCES_WRITE.authority())
                        .requestMatchers(HttpMethod.GET, "/api/v1/contacts", "/api/v1/contacts/**")
                        .hasAuthority(Scope.CONTACTS_READ.authority())
                        .requestMatchers(HttpMethod.POST, "/api/v1/contacts/resolve")
                        .hasAuthority(Scope.CONTACTS_READ.authority())
                        .requestMatchers("/api/v1/contacts", "/api/v1/contacts/**")
                        .hasAuthority(Scope.CONTACTS_WRITE.authority())
                        // The compatibility routes only read contacts.
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
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(handlers)
                        .accessDeniedHandler(handlers));
    }
}
