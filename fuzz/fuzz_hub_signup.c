/* Fuzz target: the hub's sign-up body parser and validator (what any
 * holder of a kiosk token can send), and the heartbeat body beside it. */
#include <stddef.h>
#include <stdint.h>

#include "model/rrule.h"
#include "base/timeutil.h"
#include "fuzz/fuzz.h"
#include "hub/hub_http.h"
#include "hub/hub_signup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tz_use_zone("Europe/Amsterdam");
    char err[160];
    struct hub_signup_request req;
    if (hub_signup_parse((const char *)data, size, &req, err, sizeof err)) {
        /* A weekly activity asking for everything, as in the sample feed. */
        struct rrule rule;
        rrule_parse("FREQ=WEEKLY;BYDAY=TU,TH;COUNT=50", &rule, err, sizeof err);
        int64_t exdates[1] = {1795683600}; /* the 26th */
        struct hub_activity_rules a = {
            .has_signup = true,
            .starts_at = 1795510800, /* 2026-11-24T10:00:00+01:00 */
            .rule = &rule,
            .exdates = exdates,
            .n_exdates = 1,
            .capacity = 10,
            .waitlist = true,
            .closes_before_min = 60,
            .fields = SIGNUP_NAME | SIGNUP_PHONE | SIGNUP_EMAIL | SIGNUP_PARTY_SIZE | SIGNUP_REMARK,
        };
        hub_signup_check(&req, &a, err, sizeof err);
        a.fields = SIGNUP_NAME;
        a.rule = NULL;
        hub_signup_check(&req, &a, err, sizeof err);
        hub_signup_judged_at(req.created_at, 1795510800);
        hub_signup_request_clear(&req);
    }
    struct hub_heartbeat_request hb;
    if (hub_heartbeat_parse((const char *)data, size, &hb, err, sizeof err))
        hub_heartbeat_request_clear(&hb);
    return 0;
}
