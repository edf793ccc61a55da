/*
 * The hub unit tests' shared fixture: a fresh hub database in a private
 * temporary directory for each test, removed afterwards, and a helper
 * that counts rows. Use as cmocka setup and teardown:
 *
 *   cmocka_unit_test_setup_teardown(test_x, hub_fixture_setup, hub_fixture_teardown)
 *
 * and in the test: struct hub_fixture *f = *state; f->db ...
 */
#ifndef BK_TEST_HUB_FIXTURE_H
#define BK_TEST_HUB_FIXTURE_H

#include <stdint.h>

#include "hub/hub_db.h"

struct hub_fixture {
    char dir[64], path[96];
    struct hub_db *db;
};

int hub_fixture_setup(void **state);
int hub_fixture_teardown(void **state);

/* The single integer a query such as "SELECT count(*) ..." answers;
 * fails the test when it does not. */
int64_t hub_fixture_count(struct hub_db *db, const char *sql);

#endif
