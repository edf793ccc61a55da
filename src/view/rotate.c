#include "view/rotate.h"

#include <stdbool.h>

void rotate_frame_size(int rotation, int panel_w, int panel_h, int *frame_w, int *frame_h)
{
    bool quarter = rotation == 90 || rotation == 270;
    *frame_w = quarter ? panel_h : panel_w;
    *frame_h = quarter ? panel_w : panel_h;
}

/* With the panel turned clockwise by `rotation`, the frame's top-left
 * corner sits at the panel's top-right (90), bottom-right (180) or
 * bottom-left (270). */
void rotate_frame_to_panel(int rotation, int panel_w, int panel_h, int fx, int fy, int *px,
                           int *py)
{
    switch (rotation) {
    case 90:
        *px = panel_w - 1 - fy;
        *py = fx;
        break;
    case 180:
        *px = panel_w - 1 - fx;
        *py = panel_h - 1 - fy;
        break;
    case 270:
        *px = fy;
        *py = panel_h - 1 - fx;
        break;
    default:
        *px = fx;
        *py = fy;
        break;
    }
}

void rotate_panel_to_frame(int rotation, int panel_w, int panel_h, int px, int py, int *fx,
                           int *fy)
{
    switch (rotation) {
    case 90:
        *fx = py;
        *fy = panel_w - 1 - px;
        break;
    case 180:
        *fx = panel_w - 1 - px;
        *fy = panel_h - 1 - py;
        break;
    case 270:
        *fx = panel_h - 1 - py;
        *fy = px;
        break;
    default:
        *fx = px;
        *fy = py;
        break;
    }
}
