package io.contactmirror.connection;

/** A LID JID ({@code id@lid}) and the phone-number JID ({@code digits@s.whatsapp.net}) of the same person. */
public record IdentityMapping(String lidJid, String phoneJid) {}
