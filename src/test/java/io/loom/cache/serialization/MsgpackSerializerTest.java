package io.loom.cache.serialization;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class MsgpackSerializerTest {

    private final MsgpackSerializer serializer = MsgpackSerializer.INSTANCE;

    enum Status { ACTIVE, SUSPENDED, DELETED }

    record Address(String street, String city, LocalDate since) {
    }

    record Everything(long id, int count, short small, byte tiny, double ratio, float score, boolean flag, char initial,
                      Long boxedLong, Integer boxedInt, Double boxedDouble, Boolean boxedFlag,
                      String name, BigDecimal price, BigInteger huge, UUID uuid, Status status,
                      Instant created, LocalDate day, LocalDateTime local, OffsetDateTime offset,
                      byte[] payload, Address address, List<Address> history, Set<String> labels,
                      Map<String, Integer> counts, Map<UUID, Status> statusById, List<List<Long>> matrix,
                      String nothing) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Everything e)) {
                return false;
            }
            return id == e.id && count == e.count && small == e.small && tiny == e.tiny
                    && Double.compare(ratio, e.ratio) == 0 && Float.compare(score, e.score) == 0 && flag == e.flag
                    && initial == e.initial && Objects.equals(boxedLong, e.boxedLong)
                    && Objects.equals(boxedInt, e.boxedInt) && Objects.equals(boxedDouble, e.boxedDouble)
                    && Objects.equals(boxedFlag, e.boxedFlag) && Objects.equals(name, e.name)
                    && Objects.equals(price, e.price) && Objects.equals(huge, e.huge) && Objects.equals(uuid, e.uuid)
                    && status == e.status && Objects.equals(created, e.created) && Objects.equals(day, e.day)
                    && Objects.equals(local, e.local) && Objects.equals(offset, e.offset)
                    && Arrays.equals(payload, e.payload) && Objects.equals(address, e.address)
                    && Objects.equals(history, e.history) && Objects.equals(labels, e.labels)
                    && Objects.equals(counts, e.counts) && Objects.equals(statusById, e.statusById)
                    && Objects.equals(matrix, e.matrix) && Objects.equals(nothing, e.nothing);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, name, uuid);
        }
    }

    /** A classic mutable bean. */
    public static class Account {
        private String owner;
        private BigDecimal balance;
        private List<String> roles = new ArrayList<>();

        public Account() {
        }

        Account(String owner, BigDecimal balance, List<String> roles) {
            this.owner = owner;
            this.balance = balance;
            this.roles = roles;
        }

        public String getOwner() {
            return owner;
        }

        public void setOwner(String owner) {
            this.owner = owner;
        }

        public BigDecimal getBalance() {
            return balance;
        }

        public void setBalance(BigDecimal balance) {
            this.balance = balance;
        }

        public List<String> getRoles() {
            return roles;
        }

        public void setRoles(List<String> roles) {
            this.roles = roles;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Account a && Objects.equals(owner, a.owner) && Objects.equals(balance, a.balance)
                    && Objects.equals(roles, a.roles);
        }

        @Override
        public int hashCode() {
            return Objects.hash(owner, balance, roles);
        }
    }

    record Narrow(String name) {
    }

    private <T> T roundTrip(T value, Class<T> type) {
        return serializer.loads(serializer.dumps(value), type);
    }

    static Stream<Object> scalars() {
        return Stream.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 3.5d, -0.25f,
                true, false, "", "héllo ✓ 𝄞", 'x', (short) -7, (byte) 120,
                new BigDecimal("1.10"), new BigDecimal("-12345678901234567890.000000000000000001"),
                new BigInteger("123456789012345678901234567890"), UUID.randomUUID(), Status.SUSPENDED,
                Instant.parse("2024-02-29T23:59:59.123456789Z"), LocalDate.of(1999, 12, 31),
                LocalDateTime.of(2030, 1, 2, 3, 4, 5, 6_000),
                OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 10, ZoneOffset.ofHoursMinutes(5, 30)));
    }

    @ParameterizedTest
    @MethodSource("scalars")
    @SuppressWarnings("unchecked")
    void loads_afterDumps_returnsEqualScalar(Object value) {
        assertEquals(value, roundTrip(value, (Class<Object>) value.getClass()));
    }

    @Test
    void bigDecimal_keepsScaleAndPrecision() {
        BigDecimal v = roundTrip(new BigDecimal("10.500"), BigDecimal.class);
        assertEquals(3, v.scale());
        assertEquals("10.500", v.toPlainString());
    }

    @Test
    void offsetDateTime_keepsItsOffset() {
        OffsetDateTime t = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHours(-7));
        assertEquals(ZoneOffset.ofHours(-7), roundTrip(t, OffsetDateTime.class).getOffset());
    }

    @Test
    void byteArray_roundTripsAsBinary() {
        byte[] data = {0, 1, (byte) 0xff, (byte) 0xc1, 127};
        assertArrayEquals(data, roundTrip(data, byte[].class));
        assertInstanceOf(byte[].class, serializer.loads(serializer.dumps(data)));
    }

    @Test
    void nestedRecordWithEveryType_roundTrips() {
        Everything e = randomEverything(new Random(7));
        assertEquals(e, roundTrip(e, Everything.class));
    }

    @Test
    void pojo_roundTrips() {
        Account a = new Account("ann", new BigDecimal("99.90"), List.of("admin", "ops"));
        assertEquals(a, roundTrip(a, Account.class));
    }

    @Test
    void collections_roundTripWithGenericType() throws Exception {
        List<Address> list = List.of(new Address("Main 1", "Oslo", LocalDate.of(2020, 1, 1)),
                new Address("Side 2", "Bergen", null));
        Type listOfAddress = new ArrayList<Address>() { }.getClass().getGenericSuperclass();
        assertEquals(list, serializer.loads(serializer.dumps(list), listOfAddress));
        Set<Integer> set = new LinkedHashSet<>(List.of(3, 1, 2));
        assertEquals(set, roundTrip(set, Set.class));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", List.of("x", "y"));
        map.put("c", null);
        assertEquals(map, roundTrip(map, Map.class));
    }

    @Test
    void untypedLoads_returnsPlainStructures_neverAppClasses() {
        Object plain = serializer.loads(serializer.dumps(new Address("s", "c", LocalDate.of(2000, 1, 2))));
        assertEquals(Map.of("street", "s", "city", "c", "since", "2000-01-02"), plain);
        Map<String, Object> hostile = Map.of("@class", "java.io.File", "path", "/etc/passwd");
        assertEquals(hostile, serializer.loads(serializer.dumps(hostile)));
        assertEquals(List.of("java.net.URL", "http://x"),
                serializer.loads(serializer.dumps(List.of("java.net.URL", "http://x"))));
    }

    @Test
    void null_dumpsAsNil_andLoadsNull() {
        assertArrayEquals(new byte[]{(byte) 0xc0}, serializer.dumps(null));
        assertNull(serializer.loads(serializer.dumps(null)));
        assertNull(serializer.loads(null));
        assertNull(serializer.loads(null, Address.class));
    }

    @Test
    void convert_turnsPlainStructureIntoRecord() {
        Object plain = serializer.loads(serializer.dumps(new Narrow("n")));
        assertEquals(new Narrow("n"), serializer.convert(plain, Narrow.class));
        assertEquals("x", serializer.convert("x", String.class));
    }

    @Test
    void randomGeneratedRecords_roundTrip_500Cases() {
        Random random = new Random(20260101L);
        for (int i = 0; i < 500; i++) {
            Everything e = randomEverything(random);
            assertEquals(e, roundTrip(e, Everything.class), "case " + i);
        }
    }

    @Test
    void randomGeneratedPlainValues_roundTripUntyped_500Cases() {
        Random random = new Random(42L);
        for (int i = 0; i < 500; i++) {
            Object value = randomPlain(random, 3);
            assertEquals(normalize(value), serializer.loads(serializer.dumps(value)), "case " + i);
        }
    }

    @Test
    void corruptBytes_throwSerializationException() {
        byte[] valid = serializer.dumps(new Address("street", "city", LocalDate.of(2001, 1, 1)));
        byte[] truncated = Arrays.copyOf(valid, valid.length - 3);
        byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
        List<byte[]> bad = List.of(new byte[0], new byte[]{(byte) 0xc1}, truncated, trailing,
                "not msgpack at all".getBytes(), new byte[]{(byte) 0xdb, 0, 0, 0, 10, 'a'});
        for (byte[] b : bad) {
            assertThrows(SerializationException.class, () -> serializer.loads(b, Address.class),
                    () -> "accepted " + Arrays.toString(b));
        }
        assertThrows(SerializationException.class, () -> serializer.loads(new byte[]{(byte) 0xc1}));
    }

    @Test
    void wrongShape_throwsSerializationException() {
        assertThrows(SerializationException.class,
                () -> serializer.loads(serializer.dumps("a string"), Address.class));
        assertThrows(SerializationException.class,
                () -> serializer.loads(serializer.dumps(new Address("s", "c", null)), Narrow.class));
        assertThrows(SerializationException.class,
                () -> serializer.loads(serializer.dumps(Map.of("id", "x")), Everything.class));
        assertThrows(SerializationException.class,
                () -> serializer.loads(serializer.dumps("NOT_A_STATUS"), Status.class));
        SerializationException e = assertThrows(SerializationException.class,
                () -> serializer.loads(serializer.dumps(List.of(1)), UUID.class));
        assertTrue(e.getMessage().contains("java.util.UUID"), e.getMessage());
    }

    @Test
    void unserializableValue_throwsSerializationException() {
        Object selfReferencing = new Object() {
            public Object getSelf() {
                return this;
            }
        };
        assertThrows(SerializationException.class, () -> serializer.dumps(selfReferencing));
    }

    private static Everything randomEverything(Random r) {
        byte[] payload = new byte[r.nextInt(40)];
        r.nextBytes(payload);
        List<Address> history = IntStream.range(0, r.nextInt(4))
                .mapToObj(i -> new Address(randomString(r), randomString(r), LocalDate.ofEpochDay(r.nextInt(40_000))))
                .toList();
        Set<String> labels = new LinkedHashSet<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            labels.add(randomString(r));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            counts.put(randomString(r), r.nextInt());
        }
        Map<UUID, Status> statusById = new LinkedHashMap<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            statusById.put(new UUID(r.nextLong(), r.nextLong()), Status.values()[r.nextInt(3)]);
        }
        List<List<Long>> matrix = IntStream.range(0, r.nextInt(3))
                .mapToObj(i -> IntStream.range(0, r.nextInt(3)).mapToObj(j -> r.nextLong()).toList()).toList();
        return new Everything(r.nextLong(), r.nextInt(), (short) r.nextInt(), (byte) r.nextInt(),
                r.nextBoolean() ? r.nextDouble() * 1e6 : -r.nextGaussian(), r.nextFloat(), r.nextBoolean(),
                (char) ('a' + r.nextInt(26)),
                r.nextBoolean() ? null : r.nextLong(), r.nextBoolean() ? null : r.nextInt(),
                r.nextBoolean() ? null : r.nextDouble(), r.nextBoolean() ? null : r.nextBoolean(),
                r.nextInt(10) == 0 ? null : randomString(r),
                new BigDecimal(new BigInteger(90, r), r.nextInt(20) - 5).negate(),
                new BigInteger(r.nextInt(200) + 1, r).multiply(BigInteger.valueOf(r.nextBoolean() ? 1 : -1)),
                new UUID(r.nextLong(), r.nextLong()), Status.values()[r.nextInt(3)],
                Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1_000_000_000)),
                LocalDate.ofEpochDay(r.nextInt(60_000) - 20_000),
                LocalDateTime.of(1900 + r.nextInt(200), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24),
                        r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000_000)),
                OffsetDateTime.of(2000 + r.nextInt(50), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24),
                        r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000) * 1000,
                        ZoneOffset.ofTotalSeconds((r.nextInt(28) - 14) * 3600)),
                payload, r.nextBoolean() ? null : new Address(randomString(r), randomString(r), null),
                history, labels, counts, statusById, matrix, null);
    }

    private static String randomString(Random r) {
        int len = r.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int kind = r.nextInt(4);
            sb.appendCodePoint(kind == 0 ? 0x20 + r.nextInt(95) : kind == 1 ? 0xe0 + r.nextInt(0x100)
                    : kind == 2 ? 0x4e00 + r.nextInt(500) : 0x1f600 + r.nextInt(50));
        }
        return sb.toString();
    }

    private static Object randomPlain(Random r, int depth) {
        int kind = r.nextInt(depth > 0 ? 9 : 7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> r.nextBoolean();
            case 2 -> r.nextLong();
            case 3 -> r.nextInt(1000) - 500;
            case 4 -> r.nextDouble() * 1e9;
            case 5 -> randomString(r);
            case 6 -> {
                byte[] b = new byte[r.nextInt(10)];
                r.nextBytes(b);
                yield b;
            }
            case 7 -> IntStream.range(0, r.nextInt(5)).mapToObj(i -> randomPlain(r, depth - 1))
                    .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    m.put(randomString(r) + i, randomPlain(r, depth - 1));
                }
                yield m;
            }
        };
    }

    /** Untyped decoding yields the narrowest integer type and byte arrays as ByteArrayWrapper-free arrays. */
    private static Object normalize(Object v) {
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        if (v instanceof byte[] b) {
            return new BytesEq(b);
        }
        if (v instanceof List<?> list) {
            return list.stream().map(MsgpackSerializerTest::normalize).collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, normalize(x)));
            return out;
        }
        return v;
    }

    /** Compares equal to a byte[] with the same content (used only on the expected side). */
    private record BytesEq(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof byte[] b ? Arrays.equals(bytes, b)
                    : o instanceof BytesEq e && Arrays.equals(bytes, e.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
