/*
 * Every screen, once, in automation-v1's order: SCREEN_ROW(ID, definition).
 * Including this with a SCREEN_ROW macro defined gives the enum (ui.h), the
 * table of definitions (screens.c) and nothing else: a new screen is a row
 * here and a file that defines its struct screen_def.
 */
SCREEN_ROW(ATTRACT, screen_attract)
SCREEN_ROW(HOME, screen_home)
SCREEN_ROW(ACTIVITIES, screen_activities)
SCREEN_ROW(ACTIVITY, screen_activity)
SCREEN_ROW(SIGNUP, screen_signup)
SCREEN_ROW(SIGNUP_DONE, screen_signup_done)
SCREEN_ROW(SERVICES, screen_services)
SCREEN_ROW(SERVICE, screen_service)
SCREEN_ROW(ANNOUNCEMENTS, screen_announcements)
SCREEN_ROW(SEARCH, screen_search)
SCREEN_ROW(OFF, screen_off)
SCREEN_ROW(STAFF_PIN, screen_staff_pin)
SCREEN_ROW(STAFF, screen_staff)
