package io.runnerfleet.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the shared {@link RealApiServer} as a parameter (of a {@code @BeforeAll} method, a constructor or a
 * test method), and stops it when the whole JUnit run ends: the server is kept in the root context's store, which
 * closes it after the last test class. One server serves every class of the run.
 *
 * <pre>{@code
 * @ExtendWith(RealApiServerExtension.class)
 * class SomethingOnRealApiServerTest {
 *     @BeforeAll
 *     static void start(RealApiServer server) { ... }
 * }
 * }</pre>
 */
public final class RealApiServerExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(RealApiServerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RealApiServer.class;
    }

    @Override
    public RealApiServer resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(RealApiServer.class, type -> RealApiServer.shared(), RealApiServer.class);
    }
}
