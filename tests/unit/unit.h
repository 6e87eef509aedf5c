/*
 * unit.h — what carnet's cmocka tests share.
 */
#ifndef CARNET_TESTS_UNIT_H
#define CARNET_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
