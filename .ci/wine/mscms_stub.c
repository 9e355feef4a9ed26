/* Wine (8.0 and 10.0) leaves mscms.dll's WcsCreateIccProfile a stub that aborts the process;
 * Qt 6's Windows platform plugin calls it for the screen's colour profile. This one fails
 * the way Windows does when there is no profile (NULL), and Qt goes on with sRGB. Every
 * other export forwards to Wine's own mscms (copied as mscmswine.dll, see make_shims.sh).
 * For the Wine check only: never shipped. */
void *__stdcall WcsCreateIccProfile(void *profile, unsigned long options)
{
    (void)profile; (void)options;
    return 0;
}

int __stdcall DllMainCRTStartup(void *module, unsigned long reason, void *reserved)
{
    (void)module; (void)reason; (void)reserved;
    return 1;
}
