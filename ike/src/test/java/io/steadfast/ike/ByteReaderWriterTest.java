package io.steadfast.ike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteReaderWriterTest {
    @Test
    void readsBigEndianFields() throws Exception {
        ByteReader in = new ByteReader(Hex.bytes("01 0203 04050607 08090a0b0c0d0e0f ff"));
        assertThat(in.u8("a")).isEqualTo(1);
        assertThat(in.u16("b")).isEqualTo(0x0203);
        assertThat(in.u32("c")).isEqualTo(0x04050607);
        assertThat(in.u64("d")).isEqualTo(0x08090a0b0c0d0e0fL);
        assertThat(in.u8("e")).isEqualTo(0xff);
        assertThat(in.isEmpty()).isTrue();
    }

    @Test
    void unsignedValuesStayPositive() throws Exception {
        ByteReader in = new ByteReader(Hex.bytes("ffff ffffffff"));
        assertThat(in.u16("a")).isEqualTo(0xffff);
        assertThat(in.u32("b")).isEqualTo(-1);
    }

    @Test
    void readsOnlyItsRange() throws Exception {
        byte[] bytes = Hex.bytes("aa bb cc dd");
        ByteReader in = new ByteReader(bytes, 1, 2);
        assertThat(in.u16("x")).isEqualTo(0xbbcc);
        assertThatThrownBy(() -> in.u8("beyond")).isInstanceOf(IkeParseException.class).hasMessageContaining("beyond");
    }

    @Test
    void underrunNamesTheField() {
        ByteReader in = new ByteReader(Hex.bytes("01"));
        assertThatThrownBy(() -> in.u16("KE group")).isInstanceOf(IkeParseException.class)
                .hasMessageContaining("KE group: needs 2 bytes, 1 left")
                .satisfies(e -> assertThat(((IkeParseException) e).notifyType()).isEqualTo(Ike.NOTIFY_INVALID_SYNTAX));
    }

    @Test
    void negativeLengthsAreRefused() {
        ByteReader in = new ByteReader(Hex.bytes("0102"));
        assertThatThrownBy(() -> in.bytes(-1, "x")).isInstanceOf(IkeParseException.class);
        assertThatThrownBy(() -> in.skip(-1, "x")).isInstanceOf(IkeParseException.class);
        assertThatThrownBy(() -> in.slice(-1, "x")).isInstanceOf(IkeParseException.class);
    }

    @Test
    void sliceAdvancesAndBounds() throws Exception {
        ByteReader in = new ByteReader(Hex.bytes("01 02 03 04"));
        ByteReader slice = in.slice(2, "s");
        assertThat(in.position()).isEqualTo(2);
        assertThat(slice.rest()).containsExactly(1, 2);
        assertThatThrownBy(() -> slice.u8("past")).isInstanceOf(IkeParseException.class);
        assertThat(in.rest()).containsExactly(3, 4);
    }

    @Test
    void expectEndReportsTrailingBytes() throws Exception {
        ByteReader in = new ByteReader(Hex.bytes("01 02"));
        in.u8("a");
        assertThatThrownBy(() -> in.expectEnd("thing")).hasMessageContaining("thing: 1 unexpected trailing bytes");
        in.u8("b");
        in.expectEnd("thing");
    }

    @Test
    void constructorChecksTheRange() {
        assertThatThrownBy(() -> new ByteReader(new byte[4], 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new ByteReader(new byte[4], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void writerRoundTrips() throws Exception {
        ByteWriter out = new ByteWriter(1);
        out.u8(0x12).u16(0x3456).u32(0x789abcde).u64(0x0102030405060708L).bytes(Hex.bytes("cafe")).zeros(2);
        assertThat(Hex.of(out.toByteArray())).isEqualTo("12" + "3456" + "789abcde" + "0102030405060708" + "cafe" + "0000");
        ByteReader in = new ByteReader(out.toByteArray());
        assertThat(in.u8("a")).isEqualTo(0x12);
        assertThat(in.u16("b")).isEqualTo(0x3456);
        assertThat(in.u32("c")).isEqualTo(0x789abcde);
        assertThat(in.u64("d")).isEqualTo(0x0102030405060708L);
    }

    @Test
    void writerGrowsPastItsCapacity() {
        ByteWriter out = new ByteWriter(16);
        for (int i = 0; i < 1000; i++) {
            out.u8(i);
        }
        assertThat(out.size()).isEqualTo(1000);
        assertThat(out.toByteArray()[999]).isEqualTo((byte) 999);
    }

    @Test
    void patchesLengths() {
        ByteWriter out = new ByteWriter();
        out.u16(0).u32(0).bytes(new byte[3]);
        out.putU16At(0, 9).putU32At(2, 0xdeadbeef);
        assertThat(Hex.of(out.toByteArray())).isEqualTo("0009deadbeef000000");
    }

    @Test
    void u16RefusesValuesThatDoNotFit() {
        ByteWriter out = new ByteWriter();
        assertThatThrownBy(() -> out.u16(0x10000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> out.u16(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> out.putU16At(0, 70000)).isInstanceOf(IllegalArgumentException.class);
    }
}
