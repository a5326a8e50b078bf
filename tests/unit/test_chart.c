/*
 * chart.c: the axis step, money labels, text wrapping, and charts drawn to PNG, read back with
 * cairo's PNG reader. Expected numbers are worked out by hand in the comments.
 */
#include "tr_test.h"

#include <float.h>
#include <stdint.h>

#include <cairo.h>

#include "tr/chart.h"

TR_TEST(chart_nice_step)
{
    /* 4.04e9 / 5 = 8.08e8 -> magnitude 1e8, 8.08 -> next of 1,2,5,10 is 10 -> 1e9 */
    TR_CHECK_NEAR(tr_chart_nice_step(4.04e9, 5), 1e9, 1e-3);
    /* 7 / 5 = 1.4 -> 2 */
    TR_CHECK_NEAR(tr_chart_nice_step(7, 5), 2, 1e-12);
    /* 0.35 / 5 = 0.07 -> magnitude 0.01, 7 -> 10 -> 0.1 */
    TR_CHECK_NEAR(tr_chart_nice_step(0.35, 5), 0.1, 1e-12);
    /* exact 1-2-5 values stay: 10/5 = 2, 100/5 = 20, 1/10 = 0.1 */
    TR_CHECK_NEAR(tr_chart_nice_step(10, 5), 2, 1e-12);
    TR_CHECK_NEAR(tr_chart_nice_step(100, 5), 20, 1e-9);
    TR_CHECK_NEAR(tr_chart_nice_step(1, 10), 0.1, 1e-12);
    /* 2.6e6 / 5 = 5.2e5 -> 5.2 -> 10 -> 1e6 */
    TR_CHECK_NEAR(tr_chart_nice_step(2.6e6, 5), 1e6, 1e-6);
    /* max_ticks below 1 counts as 1: 3 -> 5 */
    TR_CHECK_NEAR(tr_chart_nice_step(3, 0), 5, 1e-12);
    /* 1e300 / 5 = 2e299 -> 2e299 */
    TR_CHECK_NEAR(tr_chart_nice_step(1e300, 5) / 1e299, 2, 1e-9);
}

TR_TEST(chart_nice_step_degenerate)
{
    double z = tr_chart_nice_step(0, 5), n = tr_chart_nice_step(NAN, 5);
    double i = tr_chart_nice_step(INFINITY, 5), t = tr_chart_nice_step(1e-310, 5);
    TR_CHECK(z > 0 && isfinite(z));
    TR_CHECK(n > 0 && isfinite(n));
    TR_CHECK(i > 0 && isfinite(i));
    TR_CHECK(t > 0 && isfinite(t));
}

TR_TEST(chart_format_money)
{
    char b[32];
    tr_chart_format_money(0, b, sizeof(b));
    TR_CHECK_STR(b, "$0");
    tr_chart_format_money(850, b, sizeof(b));
    TR_CHECK_STR(b, "$850");
    tr_chart_format_money(12000, b, sizeof(b));
    TR_CHECK_STR(b, "$12k");
    tr_chart_format_money(12345, b, sizeof(b)); /* 3 significant digits */
    TR_CHECK_STR(b, "$12.3k");
    tr_chart_format_money(1.5e6, b, sizeof(b));
    TR_CHECK_STR(b, "$1.5m");
    tr_chart_format_money(500e6, b, sizeof(b));
    TR_CHECK_STR(b, "$500m");
    tr_chart_format_money(3.3e9, b, sizeof(b));
    TR_CHECK_STR(b, "$3.3bn");
    tr_chart_format_money(3.264e9, b, sizeof(b));
    TR_CHECK_STR(b, "$3.26bn");
    tr_chart_format_money(250e9, b, sizeof(b));
    TR_CHECK_STR(b, "$250bn");
    tr_chart_format_money(1.25e12, b, sizeof(b));
    TR_CHECK_STR(b, "$1.25tn");
    tr_chart_format_money(-1.2e6, b, sizeof(b));
    TR_CHECK_STR(b, "-$1.2m");
    /* 999,999 rounds to 1.00e6 before the unit is chosen: not "$1000k" */
    tr_chart_format_money(999999, b, sizeof(b));
    TR_CHECK_STR(b, "$1m");
    tr_chart_format_money(0.5, b, sizeof(b));
    TR_CHECK_STR(b, "$0.5");
    tr_chart_format_money(NAN, b, sizeof(b));
    TR_CHECK_STR(b, "\xE2\x80\x93");
}

TR_TEST(chart_format_money_small_buffer)
{
    char b[4] = "xxx";
    tr_chart_format_money(3.3e9, b, sizeof(b)); /* "$3.3bn" cut to 3 bytes + NUL */
    TR_CHECK_STR(b, "$3.");
    tr_chart_format_money(1e300, b, sizeof(b));
    TR_CHECK_INT(strlen(b), 3);
    tr_chart_format_money(1, b, 0); /* writes nothing */
    TR_CHECK_INT(strlen(b), 3);
}

/* A 1x1 image is enough to measure text with the chart's font. */
static cairo_t *text_context(cairo_surface_t **s)
{
    *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    cairo_t *cr = cairo_create(*s);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 10);
    return cr;
}

TR_TEST(chart_wrap_text)
{
    cairo_surface_t *s;
    cairo_t *cr = text_context(&s);
    struct tr_text_span sp[8];
    /* Just wider than "aaa": one word per line. */
    double w = tr_chart_text_width(cr, "aaa", 3) + 0.5;
    size_t n = tr_chart_wrap_text(cr, "aaa bbb ccc", w, sp, 8);
    int ok = n == 3 && sp[0].off == 0 && sp[0].len == 3 && sp[1].off == 4 && sp[1].len == 3 &&
             sp[2].off == 8 && sp[2].len == 3;
    /* '\n' breaks even when there is room. */
    size_t n2 = tr_chart_wrap_text(cr, "one\ntwo", 1000, sp, 8);
    int ok2 = n2 == 2 && sp[0].off == 0 && sp[0].len == 3 && sp[1].off == 4 && sp[1].len == 3;
    /* A word wider than the line splits between characters: "abcd" fits, "abcde" does not. */
    double w4 = tr_chart_text_width(cr, "abcd", 4) + 0.1;
    size_t n3 = tr_chart_wrap_text(cr, "abcdefgh", w4, sp, 8);
    int ok3 = n3 == 2 && sp[0].len == 4 && sp[1].off == 4 && sp[1].len == 4;
    /* ... and never inside a UTF-8 sequence: "é" is 2 bytes. */
    double we = tr_chart_text_width(cr, "\xC3\xA9", 2) + 0.1;
    size_t n4 = tr_chart_wrap_text(cr, "\xC3\xA9\xC3\xA9\xC3\xA9", we, sp, 8);
    int ok4 = n4 == 3 && sp[0].len == 2 && sp[1].off == 2 && sp[2].off == 4 && sp[2].len == 2;
    /* More lines than spans: the count is still the whole text's. */
    size_t n5 = tr_chart_wrap_text(cr, "aaa bbb ccc", w, sp, 1);
    size_t n6 = tr_chart_wrap_text(cr, "", 100, sp, 8);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    TR_CHECK(ok);
    TR_CHECK(ok2);
    TR_CHECK(ok3);
    TR_CHECK(ok4);
    TR_CHECK_INT(n5, 3);
    TR_CHECK_INT(n6, 0);
}

/* Pixels of exactly this colour in a PNG; -1 when it cannot be read. Sets its size. */
static long count_rgb(const char *path, unsigned rgb, int *w, int *h)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return -1;
    }
    *w = cairo_image_surface_get_width(s);
    *h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    long n = 0;
    for (int y = 0; y < *h; y++)
        for (int x = 0; x < *w; x++) {
            uint32_t p;
            memcpy(&p, data + (size_t)y * stride + (size_t)x * 4, 4);
            if ((p & 0xFFFFFF) == rgb && (p >> 24) == 0xFF)
                n++;
        }
    cairo_surface_destroy(s);
    return n;
}

static const char *const years4[] = {"2019", "2020", "2021", "2022"};

TR_TEST(chart_png_line)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/line.png", tr_test_tmpdir());
    double a[] = {1.7e9, 2.2e9, 3.07e9, NAN}, b[] = {1.75e9, NAN, 3.0e9, 3.9e9};
    struct tr_chart_series s[] = {{"As RUS reports", a}, {"As IRN reports", b}};
    struct tr_chart_mark m[] = {{.x = 2, .y = 3.3e9, .label = "stated $3.3bn"}};
    struct tr_chart c = {.kind = TR_CHART_LINE,
                         .title = "Turnover",
                         .y_label = "US$",
                         .note = "Source: test.",
                         .n_x = 4,
                         .x_labels = years4,
                         .n_series = 2,
                         .series = s,
                         .n_marks = 1,
                         .marks = m,
                         .y_money = 1};
    struct tr_err e;
    tr_err_init(&e);
    TR_CHECK_INT(tr_chart_write_png(&c, 800, 500, path, &e), 0);
    int w = 0, h = 0;
    long blue = count_rgb(path, 0x0072B2, &w, &h);
    long orange = count_rgb(path, 0xE69F00, &w, &h);
    TR_CHECK_INT(w, 800);
    TR_CHECK_INT(h, 500);
    TR_CHECK(blue > 50);   /* the first series is drawn in Okabe-Ito blue ... */
    TR_CHECK(orange > 50); /* ... the second in orange */
}

TR_TEST(chart_png_columns)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/cols.png", tr_test_tmpdir());
    double a[] = {1.2e9, -0.3e9, NAN, 2.37e9};
    struct tr_chart_series s[] = {{"Exports", a}};
    struct tr_chart c = {.kind = TR_CHART_COLUMNS,
                         .title = "Columns",
                         .n_x = 4,
                         .x_labels = years4,
                         .n_series = 1,
                         .series = s,
                         .y_money = 1};
    struct tr_err e;
    tr_err_init(&e);
    TR_CHECK_INT(tr_chart_write_png(&c, 600, 400, path, &e), 0);
    int w = 0, h = 0;
    TR_CHECK(count_rgb(path, 0x0072B2, &w, &h) > 500); /* solid bars */
    TR_CHECK_INT(w, 600);
    TR_CHECK_INT(h, 400);
}

/* Draws c to a PNG and checks it was written at the given size. */
static int draw_ok(const struct tr_chart *c, const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s.png", tr_test_tmpdir(), name);
    struct tr_err e;
    tr_err_init(&e);
    if (tr_chart_write_png(c, 400, 300, path, &e) != 0 || e.code != 0)
        return 0;
    int w = 0, h = 0;
    return count_rgb(path, 0xFFFFFF, &w, &h) > 0 && w == 400 && h == 300;
}

TR_TEST(chart_edge_cases)
{
    static const double nan4[] = {NAN, NAN, NAN, NAN};
    static const double one[] = {NAN, 5e6, NAN, NAN};
    static const double huge[] = {1e300, -1e300, DBL_MAX, -DBL_MAX};
    static const double tiny[] = {1e-300, 5e-324, 0, 2e-300};
    static const double zeros[] = {0, 0, 0, 0};
    static const double inf[] = {INFINITY, -INFINITY, 1, NAN};
    struct tr_chart_series s[] = {{"x", nan4}};
    struct tr_chart c = {.kind = TR_CHART_LINE,
                         .title = "Edge",
                         .note = "n",
                         .n_x = 0,
                         .x_labels = years4,
                         .n_series = 0,
                         .series = s,
                         .y_money = 1};
    TR_CHECK(draw_ok(&c, "no_data"));
    c.n_x = 4;
    c.n_series = 1;
    TR_CHECK(draw_ok(&c, "all_nan"));
    s[0].y = one;
    TR_CHECK(draw_ok(&c, "single_point"));
    int w, h;
    char path[512];
    snprintf(path, sizeof(path), "%s/single_point.png", tr_test_tmpdir());
    TR_CHECK(count_rgb(path, 0x0072B2, &w, &h) > 0); /* a lone point still shows */
    s[0].y = huge;
    TR_CHECK(draw_ok(&c, "huge"));
    s[0].y = tiny;
    TR_CHECK(draw_ok(&c, "tiny"));
    s[0].y = zeros;
    TR_CHECK(draw_ok(&c, "zeros"));
    s[0].y = inf;
    TR_CHECK(draw_ok(&c, "inf"));
    s[0].y = NULL; /* a series without data counts as missing */
    TR_CHECK(draw_ok(&c, "null_series"));
    c.kind = TR_CHART_COLUMNS;
    s[0].y = huge;
    TR_CHECK(draw_ok(&c, "huge_columns"));
    s[0].y = one;
    c.x_labels = NULL;
    c.title = NULL;
    c.note = NULL;
    struct tr_chart_mark m[] = {{.x = 9, .y = 1, .label = "out of range", .link = 2},
                                {.x = 0, .y = NAN, .label = "no value", .link = 99},
                                {.x = 1, .y = 1e6, .label = NULL, .filled = 1, .link = 1}};
    c.marks = m;
    c.n_marks = 3;
    TR_CHECK(draw_ok(&c, "bare"));
}

TR_TEST(chart_many_categories)
{
    static char lab[200][8];
    static const char *labs[200];
    static double v[200];
    for (int i = 0; i < 200; i++) {
        snprintf(lab[i], sizeof(lab[i]), "%d", 1800 + i);
        labs[i] = lab[i];
        v[i] = i % 3 ? 1e6 * i : NAN;
    }
    struct tr_chart_series s[] = {{"long", v}};
    struct tr_chart c = {.kind = TR_CHART_LINE,
                         .title = "200 years",
                         .n_x = 200,
                         .x_labels = labs,
                         .n_series = 1,
                         .series = s,
                         .y_money = 1};
    TR_CHECK(draw_ok(&c, "many_line"));
    c.kind = TR_CHART_COLUMNS;
    TR_CHECK(draw_ok(&c, "many_columns"));
}

TR_TEST(chart_tiny_rectangle)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 20, 20);
    cairo_t *cr = cairo_create(s);
    double a[] = {1, 2, 3, 4};
    struct tr_chart_series ser[] = {{"a", a}};
    struct tr_chart c = {.kind = TR_CHART_LINE,
                         .title = "A title far wider than the chart",
                         .note = "note",
                         .n_x = 4,
                         .x_labels = years4,
                         .n_series = 1,
                         .series = ser};
    struct tr_err e;
    tr_err_init(&e);
    int rc1 = tr_chart_draw(cr, 0, 0, 20, 20, &c, &e);
    int rc2 = tr_chart_draw(cr, 0, 0, 0, 0, &c, &e);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    TR_CHECK_INT(rc1, 0);
    TR_CHECK_INT(rc2, 0);
}

TR_TEST(chart_cairo_error)
{
    cairo_t *cr = cairo_create(NULL); /* a context already in error */
    struct tr_chart c = {.kind = TR_CHART_LINE, .title = "t"};
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_chart_draw(cr, 0, 0, 100, 100, &c, &e);
    cairo_destroy(cr);
    TR_CHECK_INT(rc, TR_EIO);
    TR_CHECK_INT(e.code, TR_EIO);
    TR_CHECK(strstr(e.msg, "cairo") != NULL);
}

TR_TEST(chart_png_unwritable)
{
    struct tr_chart c = {.kind = TR_CHART_LINE, .title = "t"};
    struct tr_err e;
    tr_err_init(&e);
    int rc = tr_chart_write_png(&c, 100, 100, "/nonexistent-dir/x.png", &e);
    TR_CHECK_INT(rc, TR_EIO);
    TR_CHECK(strstr(e.msg, "/nonexistent-dir/x.png") != NULL);
    tr_err_init(&e);
    TR_CHECK(tr_chart_write_png(&c, 0, 100, "/tmp/never.png", &e) != 0);
}

TR_TEST(chart_format_tick)
{
    char b[32];
    struct tr_chart pct = {.y_percent = 1}, money = {.y_money = 1, .y_percent = 1}, plain = {0};
    /* A percent axis keeps the step's decimals: step 10 -> none, 0.5 -> one, 0.05 -> two. */
    tr_chart_format_tick(&pct, 20, 10, b, sizeof(b));
    TR_CHECK_STR(b, "20%");
    tr_chart_format_tick(&pct, 2.5, 0.5, b, sizeof(b));
    TR_CHECK_STR(b, "2.5%");
    tr_chart_format_tick(&pct, 3, 0.5, b, sizeof(b));
    TR_CHECK_STR(b, "3.0%");
    tr_chart_format_tick(&pct, 0.15, 0.05, b, sizeof(b));
    TR_CHECK_STR(b, "0.15%");
    tr_chart_format_tick(&pct, -10, 5, b, sizeof(b));
    TR_CHECK_STR(b, "-10%");
    /* 2 * 0.1 is 0.2000000000000000111; and a zero computed as -1e-17 is not "-0%". */
    tr_chart_format_tick(&pct, 2 * 0.1, 0.1, b, sizeof(b));
    TR_CHECK_STR(b, "0.2%");
    tr_chart_format_tick(&pct, -1e-17, 1, b, sizeof(b));
    TR_CHECK_STR(b, "0%");
    /* Money wins over percent; a plain axis scales with k/m/bn and no "$". */
    tr_chart_format_tick(&money, 1.5e9, 5e8, b, sizeof(b));
    TR_CHECK_STR(b, "$1.5bn");
    tr_chart_format_tick(&plain, 1.5e6, 5e5, b, sizeof(b));
    TR_CHECK_STR(b, "1.5m");
    tr_chart_format_tick(NULL, 850, 50, b, sizeof(b));
    TR_CHECK_STR(b, "850");
}

TR_TEST(chart_text_block)
{
    cairo_surface_t *s;
    cairo_t *cr = text_context(&s);
    double w = tr_chart_text_width(cr, "aaa", 3) + 0.5;
    /* Three words one per line; at most two lines: the second ends in an ellipsis. */
    size_t all = tr_chart_text_block(cr, 0, 0, w, 12, "aaa bbb ccc", 8, 0, 0);
    size_t two = tr_chart_text_block(cr, 0, 0, w, 12, "aaa bbb ccc", 2, 0, 1);
    size_t none = tr_chart_text_block(cr, 0, 0, w, 12, "", 8, 0, 1);
    size_t nul = tr_chart_text_block(cr, 0, 0, w, 12, NULL, 8, 0, 1);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    TR_CHECK_INT(all, 3);
    TR_CHECK_INT(two, 2);
    TR_CHECK_INT(none, 0);
    TR_CHECK_INT(nul, 0);
    TR_CHECK_INT(st, CAIRO_STATUS_SUCCESS);
}

TR_TEST(chart_png_percent_columns)
{
    /* Shares by HS section, two years: long category names go on two lines. */
    static const char *const cats[] = {"Vegetable products", "Base metals",
                                       "Machinery, electrical", "Other sections"};
    double y21[] = {38.5, 12.6, 8.8, 40.1}, y24[] = {44.1, 10.9, 6.9, 38.1};
    struct tr_chart_series s[] = {{"2021", y21}, {"2024", y24}};
    struct tr_chart c = {.kind = TR_CHART_COLUMNS,
                         .title = "Shares",
                         .x_label = "HS section",
                         .y_label = "% of exports",
                         .note = "Source: test.",
                         .n_x = 4,
                         .x_labels = cats,
                         .n_series = 2,
                         .series = s,
                         .y_percent = 1};
    char path[512];
    snprintf(path, sizeof(path), "%s/pct.png", tr_test_tmpdir());
    struct tr_err e;
    tr_err_init(&e);
    TR_CHECK_INT(tr_chart_write_png(&c, 800, 500, path, &e), 0);
    int w = 0, h = 0;
    TR_CHECK(count_rgb(path, 0x0072B2, &w, &h) > 500); /* 2021 in blue */
    TR_CHECK(count_rgb(path, 0xE69F00, &w, &h) > 500); /* 2024 in orange */
}

/* Pixels darker than 0x40 in every channel: anti-aliased thin lines never hit one exact
 * colour. -1 when the PNG cannot be read. */
static long count_dark(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    long n = -1;
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
        int stride = cairo_image_surface_get_stride(s);
        const unsigned char *data = cairo_image_surface_get_data(s);
        n = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                uint32_t p;
                memcpy(&p, data + (size_t)y * stride + (size_t)x * 4, 4);
                if (((p >> 16) & 0xFF) < 0x40 && ((p >> 8) & 0xFF) < 0x40 && (p & 0xFF) < 0x40)
                    n++;
            }
    }
    cairo_surface_destroy(s);
    return n;
}

/* Dark pixels of a chart that has nothing dark but its marks: no title, no mark labels, an
 * all-missing series (C_TEXT is 0x1A1A1A; axis labels are 0x4D4D4D, lighter). */
static long dark_pixels(const struct tr_chart_mark *m, size_t n, const char *const names[2],
                        const char *name)
{
    static const double none[] = {NAN, NAN, NAN, NAN};
    struct tr_chart_series s[] = {{"x", none}};
    struct tr_chart c = {.kind = TR_CHART_LINE,
                         .n_x = 4,
                         .x_labels = years4,
                         .n_series = 1,
                         .series = s,
                         .n_marks = n,
                         .marks = m,
                         .y_money = 1};
    if (names) {
        c.mark_names[0] = names[0];
        c.mark_names[1] = names[1];
    }
    char path[512];
    snprintf(path, sizeof(path), "%s/%s.png", tr_test_tmpdir(), name);
    struct tr_err e;
    tr_err_init(&e);
    if (tr_chart_write_png(&c, 800, 500, path, &e) != 0)
        return -1;
    return count_dark(path);
}

TR_TEST(chart_marks)
{
    /* One diamond of radius 4.5 units at 1.6 px per unit: a filled one covers about
     * 2 * 7.2^2 = 104 px, a hollow one only its outline. */
    struct tr_chart_mark hollow[] = {{.x = 1, .y = 3.3e9}};
    struct tr_chart_mark filled[] = {{.x = 1, .y = 3.3e9, .filled = 1}};
    long h = dark_pixels(hollow, 1, NULL, "hollow"), f = dark_pixels(filled, 1, NULL, "filled");
    TR_CHECK(h > 0);
    TR_CHECK(f > h + 40);
    /* Two marks at one year, far apart: the dotted link between them adds dark pixels. */
    struct tr_chart_mark apart[] = {{.x = 2, .y = 1e9}, {.x = 2, .y = 3e9, .filled = 1}};
    long unlinked = dark_pixels(apart, 2, NULL, "unlinked");
    apart[0].link = 2;
    long linked = dark_pixels(apart, 2, NULL, "linked");
    TR_CHECK(linked > unlinked + 20);
    /* Named styles appear in the legend, each with its own diamond: only styles in use. */
    const char *names[] = {"stated", "computed"};
    long legend = dark_pixels(filled, 1, names, "legend");
    TR_CHECK(legend > f + 40); /* a filled legend diamond */
    long legend_h = dark_pixels(hollow, 1, names, "legend_h");
    TR_CHECK(legend_h > h);      /* a hollow legend diamond ... */
    TR_CHECK(legend_h < h + 60); /* ... and no filled one */
}

TR_TEST(chart_mark_labels_apart)
{
    /* Two labelled marks one pixel apart: their labels must not be drawn on top of each other.
     * Drawn alone each label has some dark pixels; together they keep (almost) all of them. */
    struct tr_chart_mark one[] = {{.x = 1, .y = 3.30e9, .label = "stated $3.3bn (article)"}};
    struct tr_chart_mark two[] =
        {{.x = 1, .y = 3.30e9, .label = "stated $3.3bn (article)"},
         {.x = 1, .y = 3.29e9, .label = "computed $3.29bn", .filled = 1}};
    struct tr_chart_mark other[] = {
        {.x = 1, .y = 3.29e9, .label = "computed $3.29bn", .filled = 1}};
    long a = dark_pixels(one, 1, NULL, "one"), b = dark_pixels(other, 1, NULL, "other");
    long both = dark_pixels(two, 2, NULL, "two");
    TR_CHECK(a > 0 && b > 0);
    TR_CHECK(both > (a + b) * 9 / 10); /* overlapping text would lose far more */
}

TR_TEST(chart_months_and_long_labels)
{
    /* 30 months thin out to quarters; a label wider than the chart is cut, never drawn out. */
    static char lab[30][8];
    static const char *labs[30];
    static double v[30];
    for (int i = 0; i < 30; i++) {
        snprintf(lab[i], sizeof(lab[i]), "%04d-%02d", 2022 + i / 12, i % 12 + 1);
        labs[i] = lab[i];
        v[i] = 1e8 + 1e6 * i;
    }
    struct tr_chart_series s[] = {{"monthly", v}};
    struct tr_chart_mark m[] = {
        {.x = 29,
         .y = 2e8,
         .label = "a very long label that cannot fit on either side of its "
                  "mark in a chart four hundred pixels wide, not at all"}};
    struct tr_chart c = {.kind = TR_CHART_LINE,
                         .title = "Months",
                         .x_label = "Month",
                         .n_x = 30,
                         .x_labels = labs,
                         .n_series = 1,
                         .series = s,
                         .n_marks = 1,
                         .marks = m,
                         .y_money = 1};
    TR_CHECK(draw_ok(&c, "months"));
    c.kind = TR_CHART_COLUMNS;
    TR_CHECK(draw_ok(&c, "months_columns"));
}
