/*
 * Who is on the other end of a request: the address that logins and
 * request rates are counted against.
 *
 * That is the peer's address, unless the peer is on loopback: then it is
 * the hub's own TLS proxy (docs/deploy.md), and the client is the last
 * address in X-Forwarded-For, the one the proxy appended (earlier entries
 * are the client's own claims). A loopback peer without the header is
 * itself the client.
 */
#ifndef BK_HUB_PEER_H
#define BK_HUB_PEER_H

#include <microhttpd.h>
#include <stdbool.h>
#include <sys/socket.h>

#define HUB_ADDRESS_MAX 64

/* True for 127.0.0.0/8, ::1 and IPv4-mapped 127.0.0.0/8. */
bool hub_peer_is_loopback(const struct sockaddr *addr);

/* The client's address as text ("unknown" when MHD cannot tell). */
void hub_peer_address(struct MHD_Connection *c, char out[HUB_ADDRESS_MAX]);

#endif
