package io.contactmirror.connection.sandbox;

import io.contactmirror.connection.ChatRecord;
import io.contactmirror.connection.ContactRecord;
import io.contactmirror.connection.IdentityMapping;
import io.contactmirror.connection.engine.Account;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The simulated address book of a sandbox phone. Contact {@code i} depends only on the seed and {@code i}, so
 * the same seed always gives the same account, whatever the batch size.
 *
 * <p>What it contains, for customers' tests: names in Latin (with accents), Devanagari, Cyrillic, Arabic, Chinese
 * and Japanese scripts; phones from Brazil, Indonesia, India, the US, Mexico, Germany, Russia, Saudi Arabia, China
 * and Japan; about 8% of people known only by LID, 15% with both a phone number and a LID, 10% with a business
 * name, 60% saved in the address book (full and first name) and the rest with a push name only. Every 25th
 * Brazilian contact is also reported in the old format without the ninth digit (as old address books store it),
 * with the address-book name — the mirror must keep them as one person.
 */
final class SandboxAccount {

    static final Instant EPOCH = Instant.parse("2026-06-01T00:00:00Z");

    private record Country(String code, String[] first, String[] last) {}

    private static final Country[] COUNTRIES = {
        new Country(
                "55",
                new String[] {"João", "Maria", "José", "Ana", "Antônio", "Luíza", "Conceição", "Gonçalo"},
                new String[] {"Silva", "Santos", "Conceição", "Araújo", "Gonçalves", "Pereira", "Simões"}),
        new Country("62", new String[] {"Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri", "Wahyu"}, new String[] {
            "Santoso", "Wijaya", "Pratama", "Sari", "Hidayat", "Kusuma"
        }),
        new Country("91", new String[] {"प्रिया", "राहुल", "अमित", "सुनीता", "Priya", "Rahul", "Ananya"}, new String[] {
            "शर्मा", "वर्मा", "गुप्ता", "Sharma", "Patel", "Iyer"
        }),
        new Country("1", new String[] {"John", "Emma", "Michael", "Olivia", "Chloé"}, new String[] {
            "Smith", "Johnson", "O'Brien", "García", "Nguyen"
        }),
        new Country("52", new String[] {"Lucía", "José", "Guadalupe", "Íñigo", "Sofía"}, new String[] {
            "Muñoz", "Hernández", "García", "Núñez", "Peña"
        }),
        new Country("49", new String[] {"Jürgen", "Anna", "Lukas", "Jörg", "Sophie"}, new String[] {
            "Müller", "Schäfer", "Weiß", "Groß", "Köhler"
        }),
        new Country("7", new String[] {"Иван", "Ольга", "Дмитрий", "Наталья"}, new String[] {
            "Иванов", "Петрова", "Смирнов", "Кузнецова"
        }),
        new Country("966", new String[] {"محمد", "فاطمة", "أحمد", "نورة"}, new String[] {"الحسن", "العلي", "القحطاني"}),
        new Country("86", new String[] {"伟", "芳", "敏", "静"}, new String[] {"李", "王", "张", "刘"}),
        new Country("81", new String[] {"花子", "一郎", "さくら", "翔太"}, new String[] {"佐藤", "鈴木", "高橋", "田中"})
    };
    private static final String[] BUSINESS_SUFFIX = {
        "Comércio", "Store", "Toko", "Ltda", "GmbH", "S.A. de C.V.", "Enterprises"
    };
    private static final String[] MESSAGES = {
        "Olá! Tudo bem?",
        "Halo, pesanan saya sudah dikirim?",
        "नमस्ते, कब मिलेंगे?",
        "See you tomorrow 👋",
        "¿Me mandas la factura?",
        "Danke für die schnelle Antwort",
        "Привет, как дела?",
        "شكرا جزيلا",
        "明天见",
        "了解しました"
    };
    private static final String[] GROUP_NAMES = {
        "Família Silva",
        "Clientes VIP",
        "Team Jakarta",
        "बिक्री टीम",
        "Друзья",
        "Vecinos del barrio",
        "Stammtisch",
        "Pedidos"
    };

    private final long seed;
    private final int contactCount;
    private final int groupCount;

    SandboxAccount(long seed, int contactCount, int groupCount) {
        this.seed = seed;
        this.contactCount = contactCount;
        this.groupCount = groupCount;
    }

    int contactCount() {
        return contactCount;
    }

    int groupCount() {
        return groupCount;
    }

    /** The phone's own account. */
    Account owner() {
        Random random = new Random(seed);
        return new Account(
                "55119" + digits(random, 8) + "@s.whatsapp.net",
                lid(random) + "@lid",
                "Sandbox " + Long.toString(seed, 36));
    }

    /** Everything one person contributes to a sync. */
    record Person(List<ContactRecord> contacts, ChatRecord chat, IdentityMapping mapping) {}

    Person person(int index) {
        Random random = new Random(seed * 1_000_003L + index);
        Country country = COUNTRIES[random.nextInt(COUNTRIES.length)];
        String first = country.first()[random.nextInt(country.first().length)];
        String last = country.last()[random.nextInt(country.last().length)];
        boolean eastAsian = country.code().equals("86") || country.code().equals("81");
        String full = eastAsian ? last + first : first + " " + last;
        int kind = random.nextInt(100);
        boolean lidOnly = kind < 8;
        boolean withLid = kind >= 8 && kind < 23;
        boolean saved = random.nextInt(100) < 60;
        String business =
                random.nextInt(100) < 10 ? last + " " + BUSINESS_SUFFIX[random.nextInt(BUSINESS_SUFFIX.length)] : null;
        // The index is part of every number, so no two generated people share one.
        String phone = phone(country.code(), random, index);
        String lid = lidOnly || withLid
                ? Long.toString(100_000_000_000_000L + Math.floorMod(seed * 31 + index, 899_999_999_999_999L)) + "@lid"
                : null;
        String jid = lidOnly ? lid : phone + "@s.whatsapp.net";
        List<ContactRecord> contacts = new ArrayList<>(2);
        boolean oldBrazilianFormat = country.code().equals("55") && index % 25 == 0 && !lidOnly;
        contacts.add(new ContactRecord(
                jid,
                withLid ? lid : null,
                first,
                saved && !oldBrazilianFormat ? full : null,
                saved && !oldBrazilianFormat ? first : null,
                business,
                lidOnly ? null : saved));
        if (oldBrazilianFormat) {
            String withoutNinth = phone.substring(0, 4) + phone.substring(5);
            contacts.add(new ContactRecord(withoutNinth + "@s.whatsapp.net", null, null, full, first, null, true));
        }
        ChatRecord chat = random.nextInt(100) < 70
                ? new ChatRecord(
                        jid,
                        saved ? full : null,
                        MESSAGES[random.nextInt(MESSAGES.length)],
                        EPOCH.plusSeconds(random.nextInt(30 * 24 * 3600)),
                        random.nextInt(100) < 30 ? 1 + random.nextInt(5) : 0)
                : null;
        IdentityMapping mapping = withLid ? new IdentityMapping(lid, phone + "@s.whatsapp.net") : null;
        return new Person(contacts, chat, mapping);
    }

    /** A group of the account, with its subject, chat and members. */
    record Group(ContactRecord contact, ChatRecord chat, List<String> participants) {}

    Group group(int index) {
        // Consecutive seeds give java.util.Random nearly equal first draws (all groups got one name), so mix first.
        Random random = new Random(mix(seed * 7_000_003L + index));
        String jid = "1203630" + String.format("%011d", Math.floorMod(seed * 131 + index, 100_000_000_000L)) + "@g.us";
        // Names rotate from a seed-dependent start, so the groups of one account never share one.
        String subject = GROUP_NAMES[(int) Math.floorMod(mix(seed) + index, (long) GROUP_NAMES.length)]
                + (index >= GROUP_NAMES.length ? " " + (index + 1) : "");
        List<String> participants = new ArrayList<>();
        int members = contactCount == 0 ? 0 : Math.min(contactCount, 3 + random.nextInt(18));
        for (int i = 0; i < members; i++) {
            participants.add(
                    person(random.nextInt(contactCount)).contacts().getFirst().jid());
        }
        ContactRecord contact = new ContactRecord(jid, null, null, subject, null, null, null);
        ChatRecord chat = new ChatRecord(
                jid,
                subject,
                MESSAGES[random.nextInt(MESSAGES.length)],
                EPOCH.plusSeconds(random.nextInt(30 * 24 * 3600)),
                random.nextInt(20));
        return new Group(contact, chat, participants.stream().distinct().toList());
    }

    /** SplitMix64's finalizer: spreads nearby inputs over the whole range. */
    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Whether a phone-number JID belongs to someone in this address book (for number checks). */
    boolean isKnown(String jid) {
        for (int i = 0; i < contactCount; i++) {
            for (ContactRecord contact : person(i).contacts()) {
                if (contact.jid().equals(jid)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String phone(String country, Random random, int index) {
        String unique = String.format("%07d", index % 10_000_000);
        return switch (country) {
            case "55" -> "55" + (11 + random.nextInt(8) * 10) + "9" + (6 + random.nextInt(4)) + unique;
            case "62" -> "628" + (1 + random.nextInt(5)) + digits(random, 2) + unique;
            case "91" -> "91" + (6 + random.nextInt(4)) + digits(random, 2) + unique;
            case "1" -> "1" + (2 + random.nextInt(8)) + digits(random, 2) + unique;
            case "52" -> "521" + (2 + random.nextInt(8)) + digits(random, 2) + unique;
            case "49" -> "4915" + random.nextInt(10) + digits(random, 1) + unique;
            case "7" -> "79" + digits(random, 2) + unique;
            case "966" -> "9665" + random.nextInt(10) + unique;
            case "86" -> "861" + (3 + random.nextInt(7)) + digits(random, 2) + unique;
            default -> "81" + (7 + random.nextInt(3)) + "0" + digits(random, 1) + unique;
        };
    }

    private static String digits(Random random, int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            digits.append(random.nextInt(10));
        }
        return digits.toString();
    }

    private static String lid(Random random) {
        return Long.toString(100_000_000_000_000L + (long) (random.nextDouble() * 899_999_999_999_999L));
    }
}
