package dev.chatwire.jakarta;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class PeerAddressesTest {

    @Test
    void addressLiteralsAreParsedAndAnythingElseIsUnknownWithoutALookup() throws Exception {
        assertThat(PeerAddresses.parseLiteral("192.0.2.7")).contains(InetAddress.getByName("192.0.2.7"));
        assertThat(PeerAddresses.parseLiteral("2001:db8::1")).contains(InetAddress.getByName("2001:db8::1"));
        assertThat(PeerAddresses.parseLiteral("::ffff:192.0.2.7")).contains(InetAddress.getByName("192.0.2.7"));
        // Host names, even ones made of hex digits, would need a lookup: they count as unknown.
        assertThat(PeerAddresses.parseLiteral("cafe")).isEmpty();
        assertThat(PeerAddresses.parseLiteral("localhost")).isEmpty();
        assertThat(PeerAddresses.parseLiteral("")).isEmpty();
        assertThat(PeerAddresses.parseLiteral(null)).isEmpty();
    }
}
