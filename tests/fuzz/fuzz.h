/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fuzz targets (tests/fuzz/fuzz_*.c). Each takes one input as libFuzzer
 * hands it over and returns 0; a bug shows as a sanitizer report or an
 * abort(). The same functions replay the seed corpora and the saved crash
 * inputs in `make test` (tests/unit/test_fuzz_regress.c). */
#ifndef MHP_FUZZ_H
#define MHP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Bytes from QEMU on the QMP socket: greeting, replies, events. */
int fuzz_qmp(const uint8_t *data, size_t size);
/* Lines from the guest agent (host-side reply parsing), also parsed as
 * requests the way the guest agent does. */
int fuzz_agent(const uint8_t *data, size_t size);
/* A job file. */
int fuzz_job(const uint8_t *data, size_t size);
/* Line framing (common/linebuf.c) against a model of what it must return. */
int fuzz_linebuf(const uint8_t *data, size_t size);

/* Returns one end of a socketpair whose peer has already sent @data
 * (as much as the socket buffer holds) and shut down its writing side;
 * the peer is in *peer, still open for reading, so that the code under
 * test can write its requests. -1 on error. */
int fuzz_socket_feed(const uint8_t *data, size_t size, int *peer);

#endif
