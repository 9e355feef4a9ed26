/* Wine 8.0 has no icuuc.dll, the ICU that Windows 10 (1903 and later) ships in System32.
 * Qt6Core imports its converter functions (ucnv_*) for QStringConverter's non-Unicode
 * encodings only. This stand-in has no converters at all: ucnv_open fails with an ICU error,
 * so Qt reports those encodings unavailable; UTF-8/16 never reach ICU. For the Wine check
 * only: never shipped (on Windows the system's icuuc.dll is used). */
typedef int UErrorCode;
#define U_FILE_ACCESS_ERROR 4
#define U_UNSUPPORTED_ERROR 16

static void fail(UErrorCode *err) { if (err && *err <= 0) *err = U_UNSUPPORTED_ERROR; }

void *ucnv_open(const char *name, UErrorCode *err) { (void)name; if (err && *err <= 0) *err = U_FILE_ACCESS_ERROR; return 0; }
void ucnv_close(void *cnv) { (void)cnv; }
void ucnv_reset(void *cnv) { (void)cnv; }
int ucnv_countAvailable(void) { return 0; }
const char *ucnv_getAvailableName(int n) { (void)n; return 0; }
const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err) { (void)name; (void)standard; fail(err); return 0; }
const char *ucnv_getName(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }
signed char ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
/* The functions below take a converter, which ucnv_open never returns; they only fail. */
void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const void *u, int l, int cp, int r, UErrorCode *err) { (void)c; (void)a; (void)u; (void)l; (void)cp; (void)r; fail(err); }
void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *b, int l, int r, UErrorCode *err) { (void)c; (void)a; (void)b; (void)l; (void)r; fail(err); }
void ucnv_getToUCallBack(const void *cnv, void **action, const void **context) { (void)cnv; if (action) *action = 0; if (context) *context = 0; }
void ucnv_getFromUCallBack(const void *cnv, void **action, const void **context) { (void)cnv; if (action) *action = 0; if (context) *context = 0; }
void ucnv_setToUCallBack(void *cnv, void *a, const void *c, void **oa, const void **oc, UErrorCode *err) { (void)cnv; (void)a; (void)c; (void)oa; (void)oc; fail(err); }
void ucnv_setFromUCallBack(void *cnv, void *a, const void *c, void **oa, const void **oc, UErrorCode *err) { (void)cnv; (void)a; (void)c; (void)oa; (void)oc; fail(err); }
void ucnv_cbToUWriteUChars(void *args, const void *s, int l, int o, UErrorCode *err) { (void)args; (void)s; (void)l; (void)o; fail(err); }
void ucnv_cbFromUWriteUChars(void *args, const void **s, const void *e, int o, UErrorCode *err) { (void)args; (void)s; (void)e; (void)o; fail(err); }
void ucnv_toUnicode(void *cnv, void **t, const void *te, const char **s, const char *se, int *o, signed char f, UErrorCode *err) { (void)cnv; (void)t; (void)te; (void)s; (void)se; (void)o; (void)f; fail(err); }
void ucnv_fromUnicode(void *cnv, char **t, const char *te, const void **s, const void *se, int *o, signed char f, UErrorCode *err) { (void)cnv; (void)t; (void)te; (void)s; (void)se; (void)o; (void)f; fail(err); }
int ucnv_toUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }
int ucnv_fromUCountPending(const void *cnv, UErrorCode *err) { (void)cnv; fail(err); return 0; }

int __stdcall DllMainCRTStartup(void *module, unsigned long reason, void *reserved)
{
    (void)module; (void)reason; (void)reserved;
    return 1;
}
