package io.contactmirror.tenant;

import java.util.UUID;

/** A freshly created token together with its secret, which exists only in this response. */
public record IssuedToken(ApiToken token, UUID secret) {

    /** Without the secret, should this ever be logged. */
    @Override
    public String toString() {
        return "IssuedToken[id=" + token.getId() + "]";
    }
}
