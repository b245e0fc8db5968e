/* container.c — refining zip and OLE2 types by their entries (container.h). */
#include "container.h"

#include <gsf/gsf.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

static const char *const zip_types[] = {
    "application/zip", "application/x-zip", "application/octet-stream", NULL};
static const char *const ole_types[] = {
    "application/x-ole-storage", "application/CDFV2", "application/vnd.ms-office",
    "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
    "application/vnd.ms-works", "application/encrypted", NULL};

static int one_of(const char *type, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(type, *list) == 0)
            return 1;
    return 0;
}

/* The "mimetype" entry of an ODF package: stored, first, a few bytes. */
static int odf_mimetype(zip_t *za, char *out, size_t outlen)
{
    zip_stat_t sb;
    if (zip_stat(za, "mimetype", 0, &sb) != 0 || !(sb.valid & ZIP_STAT_SIZE) || sb.size == 0 || sb.size > 100)
        return 0;
    zip_file_t *zf = zip_fopen(za, "mimetype", 0);
    if (!zf)
        return 0;
    char buf[101];
    zip_int64_t n = zip_fread(zf, buf, 100);
    zip_fclose(zf);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n ")] = '\0';
    if (strncmp(buf, "application/vnd.oasis.opendocument.", 35) != 0 || strlen(buf) >= outlen)
        return 0;
    strcpy(out, buf);
    return 1;
}

static int refine_zip(const unsigned char *data, size_t len, char *type, size_t typelen)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    zip_error_fini(&ze);
    if (!za) {
        zip_source_free(src);
        return 0;
    }
    static const struct {
        const char *entry, *type;
    } parts[] = {
        {"OFD.xml", "application/ofd"},
        {"word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    };
    const char *found = NULL;
    char odf[101];
    if (odf_mimetype(za, odf, sizeof odf))
        found = odf;
    for (size_t i = 0; !found && i < sizeof parts / sizeof parts[0]; i++)
        if (zip_name_locate(za, parts[i].entry, ZIP_FL_NOCASE) >= 0)
            found = parts[i].type;
    int changed = 0;
    if (found && strlen(found) < typelen) {
        snprintf(type, typelen, "%s", found);
        changed = 1;
    }
    zip_discard(za);
    return changed;
}

static void init_gsf(void) { gsf_init(); }

static int refine_ole(const unsigned char *data, size_t len, char *type, size_t typelen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_gsf);
    GsfInput *input = gsf_input_memory_new(data, (gsf_off_t)len, FALSE);
    if (!input)
        return 0;
    GsfInfile *ole = gsf_infile_msole_new(input, NULL);
    g_object_unref(input);
    if (!ole)
        return 0;
    /* The first stream that names a format decides; order matters only
     * for files holding several (an encrypted package wins). */
    static const struct {
        const char *stream, *type;
    } streams[] = {
        {"EncryptedPackage", "application/encrypted"},
        {"WordDocument", "application/msword"},
        {"Workbook", "application/vnd.ms-excel"},
        {"Book", "application/vnd.ms-excel"},
        {"PowerPoint Document", "application/vnd.ms-powerpoint"},
        {"CONTENTS", "application/vnd.ms-works"},
    };
    int changed = 0;
    for (size_t i = 0; i < sizeof streams / sizeof streams[0]; i++) {
        GsfInput *child = gsf_infile_child_by_name(ole, streams[i].stream);
        if (child) {
            g_object_unref(child);
            if (strlen(streams[i].type) < typelen) {
                snprintf(type, typelen, "%s", streams[i].type);
                changed = 1;
            }
            break;
        }
    }
    g_object_unref(ole);
    return changed;
}

int gk_container_refine(const unsigned char *data, size_t len, char *type, size_t typelen)
{
    if (len >= 4 && !memcmp(data, "PK\3\4", 4) && one_of(type, zip_types))
        return refine_zip(data, len, type, typelen);
    if (len >= 8 && !memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) && one_of(type, ole_types))
        return refine_ole(data, len, type, typelen);
    return 0;
}
