package io.contactmirror.connection;

/**
 * @param url where the picture can be downloaded (short-lived)
 * @param id WhatsApp's id of the picture; changes when the picture changes
 * @param preview whether this is the small preview rather than the full image
 */
public record ProfilePicture(String jid, String url, String id, boolean preview) {}
