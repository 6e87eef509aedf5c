/*
 * uuid.h — identifiers for everything a study records.
 *
 * carnet uses UUID version 7 (RFC 9562): 48 bits of Unix time in
 * milliseconds followed by random bits.  Studies from several laptops can be
 * merged without collisions, and because the ids grow with time, rows inserted
 * during a session land next to each other in SQLite's B-trees.
 */
#ifndef CARNET_CORE_UUID_H
#define CARNET_CORE_UUID_H

#include <stdbool.h>
#include <stdint.h>

#define UUID_STRLEN 37 /* 36 characters and the terminating NUL */

/* Formats a v7 UUID from a time in milliseconds and 10 random bytes. */
void uuid_v7_format(uint64_t unix_ms, const uint8_t rnd[10], char out[UUID_STRLEN]);

/* A new v7 UUID from the clock and the kernel's random source. */
void uuid_new(char out[UUID_STRLEN]);

/* true when s has the 8-4-4-4-12 lowercase hexadecimal form. */
bool uuid_valid(const char *s);

#endif
