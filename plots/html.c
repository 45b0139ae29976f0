/*
** plots/html.c — index.html: one self-contained page (no scripts, no
** external style sheets) that shows every figure of a scenario with its
** name, date and the scenario text, for readers who would rather look than
** read the tables. The figures are referenced by relative file name, so the
** folder can be moved or copied as a whole.
*/
#include "plots/plot_int.h"

#include "core/error.h"

#include <errno.h>
#include <string.h>

static void html_escape(FILE *f, const char *text)
{
    for (const char *c = text; *c; c++) {
        switch (*c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*c, f); break;
        }
    }
}

int adi_plot_write_index(const adi_plot_data *d, adi_plot_format fmt,
                         const int drawn[ADI_FIG_COUNT], FILE *f)
{
    const char *ext = adi_plot_format_name(fmt);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    html_escape(f, d->name);
    fputs(" — adisim figures</title>\n<style>\n"
          "body { font-family: system-ui, sans-serif; color: #222; max-width: 1450px;"
          " margin: 1.5em auto; padding: 0 1em; line-height: 1.45; }\n"
          "h1 { margin-bottom: 0.2em; } .meta { color: #555; margin-top: 0; }\n"
          "section { margin: 2.2em 0; } img { max-width: 100%; height: auto;"
          " border: 1px solid #ddd; }\n"
          "pre { background: #f5f5f5; padding: 1em; overflow: auto; }\n"
          ".slice { color: #555; } .skipped { color: #777; font-style: italic; }\n"
          ".estimated { background: #fff4d6; border-left: 4px solid #d9a400; padding: 0.5em 1em; }\n"
          "</style>\n</head>\n<body>\n<h1>Scenario ", f);
    html_escape(f, d->name);
    fputs("</h1>\n<p class=\"meta\">Stored <time>", f);
    html_escape(f, d->created_at);
    fprintf(f, "</time> in <code>");
    html_escape(f, d->db_path);
    fprintf(f, "</code>; %zu sweep points, %zu with stored runs; figures 2, 6 and 10 show point"
               " %zu (<code>", d->npoints, d->stored, d->chosen);
    html_escape(f, d->pt[d->chosen].p->key);
    fputs("</code>).</p>\n", f);
    if (adi_scenario_estimated(d->sc)) {
        fputs("<p class=\"estimated\"><strong>Estimated times:</strong> ", f);
        html_escape(f, adi_scenario_estimated(d->sc));
        fputs(". These devices' task times were not measured on them (an emulator's instruction"
              " counts, or published figures); each profile's <code>origin</code> says how they"
              " were estimated. Every figure below inherits that.</p>\n", f);
    }
    fputs("<nav><ol>\n", f);
    for (int fig = 0; fig < ADI_FIG_COUNT; fig++) {
        fprintf(f, "<li><a href=\"#%s\">", adi_plot_figure_stem(fig));
        html_escape(f, adi_plot_figure_caption(fig));
        fprintf(f, "</a>%s</li>\n", drawn[fig] ? "" : " (not drawn)");
    }
    fputs("<li><a href=\"#scenario\">The scenario file</a></li>\n</ol></nav>\n", f);
    for (int fig = 0; fig < ADI_FIG_COUNT; fig++) {
        const char *stem = adi_plot_figure_stem(fig), *why = NULL;
        char slice[512];
        fprintf(f, "<section id=\"%s\">\n<h2>%d. ", stem, fig + 1);
        html_escape(f, adi_plot_figure_caption(fig));
        fputs("</h2>\n", f);
        if (!drawn[fig]) {
            adi_plot_figure_applies(d, fig, &why);
            fputs("<p class=\"skipped\">Not drawn: ", f);
            html_escape(f, why ? why : "it was not requested");
            fputs(".</p>\n</section>\n", f);
            continue;
        }
        fputs("<p class=\"slice\">Slice: ", f);
        html_escape(f, adi_plot_figure_slice(d, fig, slice, sizeof slice));
        fputs(".</p>\n", f);
        if (fmt == ADI_PLOT_PDF)
            fprintf(f, "<p><a href=\"%s.%s\">%s.%s</a> (PDF)</p>\n", stem, ext, stem, ext);
        else {
            fprintf(f, "<a href=\"%s.%s\"><img src=\"%s.%s\" alt=\"", stem, ext, stem, ext);
            html_escape(f, adi_plot_figure_caption(fig));
            fputs("\"></a>\n", f);
        }
        fputs("</section>\n", f);
    }
    fputs("<section id=\"scenario\">\n<h2>The scenario file", f);
    if (d->path[0]) {
        fputs(" <code>", f);
        html_escape(f, d->path);
        fputs("</code>", f);
    }
    fputs("</h2>\n<pre>", f);
    html_escape(f, d->ini_text);
    fputs("</pre>\n</section>\n<p class=\"meta\">Drawn by adisim " ADI_VERSION
          " (<code>bin/plot</code>) with gnuplot.</p>\n</body>\n</html>\n", f);
    if (fflush(f) != 0 || ferror(f))
        return adi_fail(ADI_EIO, "cannot write: %s", strerror(errno ? errno : EIO));
    return ADI_OK;
}
