/**
 * Minimal stand-ins for the four Aspose.Words types Cobalt's {@code it.auties.whatsapp.util.Medias} refers to.
 *
 * <p>Cobalt 0.0.10 depends on {@code com.aspose:aspose-words}, published only on a repository this build cannot
 * reach, so the pom excludes it. Without these types {@code Medias} fails class verification — and that class also
 * downloads the history sync that carries address-book names. Cobalt uses Aspose only to render document
 * thumbnails and catches the failure, so with these stand-ins document thumbnails are simply absent.
 */
package com.aspose.words;
