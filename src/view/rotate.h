/*
 * ui.rotation: the panel is mounted turned by 0, 90, 180 or 270 degrees
 * clockwise. The core works in the resident's frame; drawing is turned
 * onto the panel and touches are turned back, by these two functions
 * only, so that drawing and touch can never disagree.
 */
#ifndef BK_ROTATE_H
#define BK_ROTATE_H

/* The resident's frame size for a panel of panel_w x panel_h. */
void rotate_frame_size(int rotation, int panel_w, int panel_h, int *frame_w, int *frame_h);

/* A point on the panel (as the display reports touches) to the frame. */
void rotate_panel_to_frame(int rotation, int panel_w, int panel_h, int px, int py, int *fx,
                           int *fy);

/* A point in the frame to the panel (where it is drawn). */
void rotate_frame_to_panel(int rotation, int panel_w, int panel_h, int fx, int fy, int *px,
                           int *py);

#endif
