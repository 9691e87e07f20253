package io.contactmirror.database;

import org.hibernate.boot.model.FunctionContributions;
import org.hibernate.boot.model.FunctionContributor;
import org.hibernate.dialect.function.array.ArrayContainsArgumentTypeResolver;
import org.hibernate.type.StandardBasicTypes;

/**
 * HQL functions for arrays bound as one parameter, registered with Hibernate through
 * {@code META-INF/services/org.hibernate.boot.model.FunctionContributor}.
 *
 * <p>{@code in_array(:ids, c.id)} is {@code c.id = any(:ids)}: an index serves it, where Hibernate's own
 * {@code array_contains} renders as {@code :ids @> array[c.id]}, which no B-tree index serves. Its arguments are typed
 * from each other, as {@code array_contains}'s are: a parameter whose type only its bound value tells (inside
 * {@code sql(...)}, or a function without such typing) makes Hibernate translate the whole query from HQL to SQL again
 * on every execution.
 */
public class ArrayFunctions implements FunctionContributor {

    @Override
    public void contributeFunctions(FunctionContributions functions) {
        functions
                .getFunctionRegistry()
                .patternDescriptorBuilder("in_array", "(?2 = any(?1))")
                .setExactArgumentCount(2)
                .setArgumentTypeResolver(ArrayContainsArgumentTypeResolver.INSTANCE)
                .setInvariantType(
                        functions.getTypeConfiguration().getBasicTypeRegistry().resolve(StandardBasicTypes.BOOLEAN))
                .register();
    }
}
