/* Wine 8.0 has no bcryptprimitives.dll (Windows 8 and later have it). Programs built with
 * Rust >= 1.78 (safetensors, tokenizers: Rust's standard library) import its ProcessPrng
 * for random numbers. This stand-in gets them from Wine's bcrypt, as Windows' own does.
 * For the Wine check only: never shipped. */
typedef long NTSTATUS;
__declspec(dllimport) NTSTATUS __stdcall BCryptGenRandom(void *alg, unsigned char *buffer,
                                                         unsigned long length, unsigned long flags);
#define BCRYPT_USE_SYSTEM_PREFERRED_RNG 0x00000002

int __stdcall ProcessPrng(unsigned char *data, unsigned long long length)
{
    while (length) {
        unsigned long chunk = length > 0x40000000ull ? 0x40000000ul : (unsigned long)length;
        if (BCryptGenRandom(0, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) < 0) return 0;
        data += chunk;
        length -= chunk;
    }
    return 1;
}

int __stdcall DllMainCRTStartup(void *module, unsigned long reason, void *reserved)
{
    (void)module; (void)reason; (void)reserved;
    return 1;
}
