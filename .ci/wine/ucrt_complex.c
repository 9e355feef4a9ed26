/* Wine 8.0 (Debian 12) leaves the C99 complex functions of ucrtbase.dll as stubs that abort
 * the process when called; numpy >= 2 calls crealf while it imports. This native ucrtbase.dll
 * implements them and forwards every other export to Wine's own ucrtbase (copied as
 * ucrtwine.dll), see .ci/wine/make_ucrt_shim.sh. For the Wine check only: never shipped.
 *
 * ABI as MSVC: _Fcomplex (8 bytes) in a register, _Dcomplex/_Lcomplex (16 bytes; long double
 * is double on Windows) by hidden pointer, both ways. GCC's x64 ms_abi does the same for
 * structs of these sizes, so plain structs are used. */
typedef struct { float re, im; } fcx;
typedef struct { double re, im; } dcx;

double exp(double); double log(double); double sin(double); double cos(double);
double sinh(double); double cosh(double); double atan2(double, double); double sqrt(double);
double hypot(double, double); double fabs(double);

static dcx mk(double re, double im) { dcx z = {re, im}; return z; }
static fcx tof(dcx z) { fcx r = {(float)z.re, (float)z.im}; return r; }
static dcx fromf(fcx z) { return mk(z.re, z.im); }
static dcx add(dcx a, dcx b) { return mk(a.re + b.re, a.im + b.im); }
static dcx sub(dcx a, dcx b) { return mk(a.re - b.re, a.im - b.im); }
static dcx mul(dcx a, dcx b) { return mk(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re); }
static dcx dvd(dcx a, dcx b) {
    double d = b.re * b.re + b.im * b.im;
    return mk((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}

static dcx c_exp(dcx z) { double e = exp(z.re); return mk(e * cos(z.im), e * sin(z.im)); }
static dcx c_log(dcx z) { return mk(log(hypot(z.re, z.im)), atan2(z.im, z.re)); }
static dcx c_sqrt(dcx z) {
    double r = hypot(z.re, z.im);
    double a = sqrt((r + fabs(z.re)) / 2);
    if (a == 0) return mk(0, z.im);
    if (z.re >= 0) return mk(a, z.im / (2 * a));
    return mk(fabs(z.im) / (2 * a), z.im < 0 ? -a : a);
}
static dcx c_pow(dcx z, dcx w) {
    if (z.re == 0 && z.im == 0) return (w.re == 0 && w.im == 0) ? mk(1, 0) : mk(0, 0);
    return c_exp(mul(w, c_log(z)));
}
static dcx c_sin(dcx z) { return mk(sin(z.re) * cosh(z.im), cos(z.re) * sinh(z.im)); }
static dcx c_cos(dcx z) { return mk(cos(z.re) * cosh(z.im), -sin(z.re) * sinh(z.im)); }
static dcx c_tan(dcx z) { return dvd(c_sin(z), c_cos(z)); }
static dcx c_sinh(dcx z) { return mk(sinh(z.re) * cos(z.im), cosh(z.re) * sin(z.im)); }
static dcx c_cosh(dcx z) { return mk(cosh(z.re) * cos(z.im), sinh(z.re) * sin(z.im)); }
static dcx c_tanh(dcx z) { return dvd(c_sinh(z), c_cosh(z)); }
static const dcx I1 = {0, 1}, ONE = {1, 0};
/* asin z = -i log(iz + sqrt(1 - z^2)) */
static dcx c_asin(dcx z) {
    dcx t = c_log(add(mul(I1, z), c_sqrt(sub(ONE, mul(z, z)))));
    return mk(t.im, -t.re);
}
static dcx c_acos(dcx z) { dcx a = c_asin(z); return mk(1.5707963267948966 - a.re, -a.im); }
/* atan z = (i/2) log((i + z) / (i - z)) */
static dcx c_atan(dcx z) {
    dcx t = c_log(dvd(add(I1, z), sub(I1, z)));
    return mk(-t.im / 2, t.re / 2);
}
static dcx c_asinh(dcx z) { return c_log(add(z, c_sqrt(add(mul(z, z), ONE)))); }
static dcx c_acosh(dcx z) { return c_log(add(z, mul(c_sqrt(add(z, ONE)), c_sqrt(sub(z, ONE))))); }
static dcx c_atanh(dcx z) { dcx t = c_log(dvd(add(ONE, z), sub(ONE, z))); return mk(t.re / 2, t.im / 2); }
static dcx c_log10(dcx z) { dcx t = c_log(z); return mk(t.re / 2.302585092994046, t.im / 2.302585092994046); }
static int is_inf(double x) { return x == x && x - x != x - x; }
static dcx c_proj(dcx z) {
    if (is_inf(z.re) || is_inf(z.im)) return mk(1.0 / 0.0, z.im < 0 ? -0.0 : 0.0);
    return z;
}

#define UNARY(name, impl) \
    dcx name(dcx z) { return impl(z); } \
    fcx name##f(fcx z) { return tof(impl(fromf(z))); } \
    dcx name##l(dcx z) { return impl(z); }
UNARY(cexp, c_exp) UNARY(clog, c_log) UNARY(csqrt, c_sqrt) UNARY(csin, c_sin)
UNARY(ccos, c_cos) UNARY(ctan, c_tan) UNARY(csinh, c_sinh) UNARY(ccosh, c_cosh)
UNARY(ctanh, c_tanh) UNARY(casin, c_asin) UNARY(cacos, c_acos) UNARY(catan, c_atan)
UNARY(casinh, c_asinh) UNARY(cacosh, c_acosh) UNARY(catanh, c_atanh) UNARY(clog10, c_log10)
UNARY(cproj, c_proj)

dcx cpow(dcx z, dcx w) { return c_pow(z, w); }
fcx cpowf(fcx z, fcx w) { return tof(c_pow(fromf(z), fromf(w))); }
dcx cpowl(dcx z, dcx w) { return c_pow(z, w); }
dcx conj(dcx z) { return mk(z.re, -z.im); }
fcx conjf(fcx z) { fcx r = {z.re, -z.im}; return r; }
dcx conjl(dcx z) { return mk(z.re, -z.im); }
double cabs(dcx z) { return hypot(z.re, z.im); }
float cabsf(fcx z) { return (float)hypot(z.re, z.im); }
double cabsl(dcx z) { return hypot(z.re, z.im); }
double carg(dcx z) { return atan2(z.im, z.re); }
float cargf(fcx z) { return (float)atan2(z.im, z.re); }
double cargl(dcx z) { return atan2(z.im, z.re); }
double norm(dcx z) { return z.re * z.re + z.im * z.im; }
float normf(fcx z) { return z.re * z.re + z.im * z.im; }
double norml(dcx z) { return z.re * z.re + z.im * z.im; }
float crealf(fcx z) { return z.re; }
double creall(dcx z) { return z.re; }
double cimag(dcx z) { return z.im; }
float cimagf(fcx z) { return z.im; }
double cimagl(dcx z) { return z.im; }
fcx _FCbuild(float re, float im) { fcx r = {re, im}; return r; }
dcx _LCbuild(double re, double im) { return mk(re, im); }
dcx _Cmulcc(dcx a, dcx b) { return mul(a, b); }
dcx _Cmulcr(dcx a, double b) { return mk(a.re * b, a.im * b); }
fcx _FCmulcc(fcx a, fcx b) { return tof(mul(fromf(a), fromf(b))); }
fcx _FCmulcr(fcx a, float b) { fcx r = {a.re * b, a.im * b}; return r; }
dcx _LCmulcc(dcx a, dcx b) { return mul(a, b); }
dcx _LCmulcr(dcx a, double b) { return mk(a.re * b, a.im * b); }

int __stdcall DllMainCRTStartup(void *module, unsigned long reason, void *reserved)
{
    (void)module; (void)reason; (void)reserved;
    return 1;
}
