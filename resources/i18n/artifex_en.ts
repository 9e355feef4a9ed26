<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>App</name>
    <message>
        <location filename="../../artifex_gui/app.py" line="53"/>
        <source>Something went wrong inside Artifex.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/app.py" line="55"/>
        <source>{0}

The details were written to {1}. Artifex keeps running; if something looks wrong, restart it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/app.py" line="156"/>
        <source>Artifex is already running. Switch to its window (it may be minimised or on another screen).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareChart</name>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="99"/>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="100"/>
        <source>step time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="133"/>
        <location filename="../../artifex_gui/ui/compare_view.py" line="168"/>
        <source>spike &gt; {0}× median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="154"/>
        <source>{0} · median {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="195"/>
        <source>Export chart (PNG)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="197"/>
        <source>Export summary (Markdown)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="242"/>
        <source>Select two runs above (Ctrl+click) to compare their step times, phases, memory and settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="280"/>
        <source>vs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="295"/>
        <source>different output sizes: {0} and {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="300"/>
        <source>1 setting differs (highlighted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="300"/>
        <source>{0} settings differ (highlighted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="302"/>
        <source>same settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="371"/>
        <source>Export chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="373"/>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="382"/>
        <source>Export summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="382"/>
        <source>Markdown (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="394"/>
        <source>&apos;{0}&apos; could not be written: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="395"/>
        <source>Choose another folder or file name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Comparison</name>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="53"/>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="54"/>
        <source>Phase times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="55"/>
        <source>Peak memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="56"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="57"/>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="96"/>
        <source>{0} copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="104"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="132"/>
        <source>{0} reused, {1:.2f}× fewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="151"/>
        <source>status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="157"/>
        <source>steps done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="167"/>
        <source>median step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="174"/>
        <source>mean step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="182"/>
        <source>slowest step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="193"/>
        <source>DiT passes computed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="205"/>
        <source>passes per step (C computed, r reused)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="216"/>
        <source>spikes (&gt; {0}×)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="227"/>
        <source>spike steps, copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="237"/>
        <source>copied host→device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="244"/>
        <source>total time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="259"/>
        <source>VRAM allocated (peak)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="266"/>
        <source>VRAM reserved (peak)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="273"/>
        <source>VRAM whole card (NVML)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="280"/>
        <source>process RAM (peak)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="329"/>
        <source>B&apos;s median step is {0}× A&apos;s ({1}% faster)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="331"/>
        <source>B&apos;s median step is {0}× A&apos;s ({1}% slower)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EngineHost</name>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="222"/>
        <source>The engine could not load: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="53"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="57"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="59"/>
        <source>Save recovered video as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="130"/>
        <source>Save recovered video as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="130"/>
        <source>Video (*.mp4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="141"/>
        <source>Saving the recovered video to {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/worker.py" line="199"/>
        <source>Not saved: {0} The frames are still in {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/worker.py" line="205"/>
        <source>The recovered frames cannot be read: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="154"/>
        <source>Saved the recovered video to {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorReport</name>
    <message>
        <location filename="../../artifex_gui/worker.py" line="48"/>
        <source>Reinstall Artifex, or run from a checkout where the engine is complete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/worker.py" line="56"/>
        <source>This is a bug in Artifex. The details were written to the log file; please report them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="103"/>
        <source>Past runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="107"/>
        <source>Add folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="110"/>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="115"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="132"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="133"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="134"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="135"/>
        <source>Median step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="136"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="198"/>
        <source>Add a folder with runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="206"/>
        <source>{0}  (output folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="209"/>
        <source>Remove {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="230"/>
        <source>Scanning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="286"/>
        <source>damaged: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="287"/>
        <source>This report cannot be read, so the run is left out:
{0}
{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="297"/>
        <source>(no prompt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="337"/>
        <source>1 run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="337"/>
        <source>{0} runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="339"/>
        <source>in 1 folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="339"/>
        <source>in {0} folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="342"/>
        <source>{0} damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="344"/>
        <source>select two to compare</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryScanner</name>
    <message>
        <location filename="../../artifex_gui/model/history.py" line="205"/>
        <source>cannot be analysed: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImageDropZone</name>
    <message>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="85"/>
        <source>Remove the image (text-to-video)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="86"/>
        <source>Drop a picture here or click to choose one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="96"/>
        <source>Drop a picture here or click to browse
(optional — without one, text-to-video)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/sizing.py" line="77"/>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="110"/>
        <source>&apos;{0}&apos; cannot be read: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="142"/>
        <source>Choose a picture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="144"/>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InputsPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="120"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="123"/>
        <source>Demo model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="124"/>
        <source>No folder chosen: the built-in demo model is used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="125"/>
        <source>Choose folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="128"/>
        <source>Use the built-in demo model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="143"/>
        <source>Start image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="154"/>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="156"/>
        <source>Describe the video: subject, motion, camera, light…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="160"/>
        <source>Empty: the model&apos;s default (hover to read it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="162"/>
        <source>Empty: the model&apos;s default negative prompt —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="167"/>
        <source>Negative prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="172"/>
        <source>Video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="177"/>
        <source>1280×704 landscape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="178"/>
        <source>704×1280 portrait</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="179"/>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="189"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="193"/>
        <source>4n+1 frames (81, 121 …); other values snap to the nearest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="202"/>
        <source>Frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="209"/>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="210"/>
        <source>Guidance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="211"/>
        <source>Shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="215"/>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="217"/>
        <source>Speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="221"/>
        <source>random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="222"/>
        <source>Random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="223"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="224"/>
        <source>Copy the seed of the last run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="226"/>
        <source>Reuse last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="227"/>
        <source>Use the seed of the last run again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="234"/>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="238"/>
        <source>Engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="241"/>
        <source>few-step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="243"/>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="446"/>
        <source>auto (fastest that works)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="244"/>
        <source>Filled in with the backends that work on this machine once the engine has loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="247"/>
        <source>in the precision above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="248"/>
        <source>fp8 attention q/k/v (less memory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="249"/>
        <source>fp8 everywhere (faster, more error)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="253"/>
        <source>The DiT&apos;s block linears can multiply in 8-bit floats on GPUs with fp8 tensor cores (RTX 40/50 series, L4, L40, H100, H200, B200; refused on others). Measured on an H200 with random weights: attention q/k/v in fp8 holds a 2% error against bf16, 17% less DiT memory, about as fast; everywhere: half the DiT&apos;s memory, 11% faster steps, 7% error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="258"/>
        <source>auto (the fastest that fits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="265"/>
        <source>How the VAE turns the latents into frames (measured on an H200 at 1280×704). Full: 9.9 GiB, the fastest. In bands: the same frames, the large high-resolution part a frame at a time (6.2 GiB, 1.16× the time; in two bands 5.4 GiB). Tiled: 2.9 GiB, about 3× slower, tiles blended. Auto takes the fastest that fits the free GPU memory; a decode that runs out of memory is retried at once in the next mode down.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="259"/>
        <source>full (fastest, most memory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="260"/>
        <source>in bands (same frames, less memory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="261"/>
        <source>tiled (least memory, slower)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="271"/>
        <source>auto (as needed for the card)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="272"/>
        <source>off (everything on the GPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="273"/>
        <source>per model (swap encoder / DiT / VAE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="274"/>
        <source>per block (stream DiT blocks from RAM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="277"/>
        <source>Keep weights in system RAM and copy them to the GPU when needed: slower, fits smaller cards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="278"/>
        <source>Low RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="280"/>
        <source>For PCs with 16 GB of RAM: the text encoder (11 GB) is not kept between runs. It is read from its file when a new prompt needs it and let go after the text encode; the same prompt again reuses its encoding.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="284"/>
        <source>Solver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="286"/>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="289"/>
        <source>DiT linears</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="290"/>
        <source>Attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="294"/>
        <source>Offload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="295"/>
        <source>VAE decode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="301"/>
        <source>Multiples of 32; other values snap to the nearest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="348"/>
        <source>{0:.2f} s at 24 fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="380"/>
        <source>Output {0}×{1}: the picture&apos;s shape, with at most the pixels of {2}×{3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="385"/>
        <source>No picture: text-to-video at {0}×{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="403"/>
        <source>Choose the Wan2.2-TI2V-5B folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="418"/>
        <source>No folder: the model files below are used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="422"/>
        <source>Demo model: random weights, for trying the app — not real video.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="427"/>
        <source>✓ Complete: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="431"/>
        <source>This is {0}, not Wan2.2-TI2V-5B.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="433"/>
        <source>Missing: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="29"/>
        <source>default size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="30"/>
        <source> · image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="31"/>
        <source>#{0} {1} · {2}f · {3} steps{4} — {5}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="37"/>
        <source>(no prompt)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LatentsBar</name>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="63"/>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="37"/>
        <source>Decode again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="65"/>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="40"/>
        <source>Decode this run&apos;s kept latents into a video again, without the denoising steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="43"/>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="87"/>
        <source>Delete latents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="60"/>
        <source>Select one run to see whether its latents are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="64"/>
        <source>Latents kept: {0} ({1}). Decode again makes a video from them without the steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="70"/>
        <source>No latents kept for this run (deleted, or keep latents was off).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="88"/>
        <source>Delete {0}? The run&apos;s video and report stay; it can no longer be decoded again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="97"/>
        <source>The latents cannot be deleted: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="261"/>
        <source>Decode again waits for the current run: press it when the run has ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="288"/>
        <source>Decoding again from {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="43"/>
        <source>Keep each run&apos;s final latents (about 21 MB at 1280×704, 121 frames)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="45"/>
        <source>If the decode runs out of memory, Decode again makes the video from them without the steps. History can delete them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoraPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="112"/>
        <source>LoRAs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="118"/>
        <source>No LoRA. Add one, or drop .safetensors files here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="121"/>
        <source>Add LoRA…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="135"/>
        <source>Choose LoRA files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="135"/>
        <source>LoRA (*.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoraRow</name>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="56"/>
        <source>Remove this LoRA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="60"/>
        <source>✗ {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="98"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="369"/>
        <source>Busy: Generate adds a job to the queue. Edits apply to the next job.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="136"/>
        <source>Live preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="101"/>
        <source>Plan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="103"/>
        <source>What Generate would run: sizes, tokens, passes, offload and memory (Ctrl+I)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="137"/>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="145"/>
        <source>Progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="148"/>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="172"/>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="191"/>
        <source>Live run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="192"/>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="219"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="220"/>
        <source>Open picture…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="222"/>
        <source>Choose model folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="224"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="226"/>
        <source>Open output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="228"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="234"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="235"/>
        <source>Open log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="237"/>
        <location filename="../../artifex_gui/ui/main_window.py" line="499"/>
        <source>About Artifex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="270"/>
        <source>Saved the recovered video to {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="294"/>
        <source>Loading the engine… you can set up your video meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="432"/>
        <source>Error: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="434"/>
        <source>Finished: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="436"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="438"/>
        <source>Engine: loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="485"/>
        <source>Artifex {0} — local text and image to video with Wan2.2 TI2V-5B.

Data folder: {1}
Log file: {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="495"/>
        <source>What Generate would run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="495"/>
        <source>This cannot run yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="298"/>
        <source>Engine not available: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="440"/>
        <source>Engine: not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="304"/>
        <source>Quit Artifex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="305"/>
        <source>A video is being generated. Cancel it and quit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="325"/>
        <source>Settings could not be saved: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="251"/>
        <source>Job #{0} added to the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="399"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="420"/>
        <source>starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="422"/>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="359"/>
        <source>Add to queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="360"/>
        <source>A run is busy: this job waits in the queue below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="362"/>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="363"/>
        <source>Start generating (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="442"/>
        <source>Engine ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="464"/>
        <source>Demo model in use: random weights — the result is moving noise, not a real video. Choose your Wan2.2-TI2V-5B folder (File → Choose model folder) to generate for real.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="467"/>
        <source>Quick demo settings ({0}×{1}, {2} frames, {3} steps): a run takes seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="469"/>
        <source>Use quick demo settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="480"/>
        <source>The language changes the next time Artifex starts.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemoryMeters</name>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="35"/>
        <source>VRAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="38"/>
        <source>RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="43"/>
        <source>waiting for the first sample…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="59"/>
        <source>{0} / {1} GiB used on the card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="61"/>
        <source>this app: allocated {0} GiB · reserved {1} GiB · source {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="68"/>
        <source>no CUDA GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="69"/>
        <source>running on the CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="71"/>
        <source>{0} / {1} GiB used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="72"/>
        <source>this app: {0} GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="79"/>
        <source>⚠ VRAM is nearly full: the driver may spill into slow shared memory. Turn on offload or choose a smaller size.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelFolder</name>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="99"/>
        <source>&apos;{0}&apos; is not a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="115"/>
        <source>The folder could not be checked: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="161"/>
        <source>The files could not be checked: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelPartsPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="49"/>
        <source>Model files (ComfyUI or mixed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="54"/>
        <source>DiT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="55"/>
        <source>Text encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="56"/>
        <source>VAE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="57"/>
        <source>Tokenizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="61"/>
        <source>wan2.2_ti2v_5B_fp16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="62"/>
        <source>umt5_xxl_fp8_scaled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="63"/>
        <source>wan2.2_vae</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="64"/>
        <source>beside the files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="74"/>
        <source>For example {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="76"/>
        <source>Empty: the tokenizer is looked for next to the model files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="79"/>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="83"/>
        <source>Use the folder&apos;s part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="109"/>
        <source>Choose the umT5 tokenizer folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="114"/>
        <source>Choose the model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="116"/>
        <source>Safetensors (*.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="135"/>
        <source>No model chosen: the built-in demo model runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="146"/>
        <source>The engine&apos;s format detection is not available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="149"/>
        <source>original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="150"/>
        <source>Diffusers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="151"/>
        <source>ComfyUI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="152"/>
        <source>given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="158"/>
        <source>✓ {0}: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="161"/>
        <source>✗ missing: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="168"/>
        <source>All four parts found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="171"/>
        <source>Some parts are missing (see above).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="15"/>
        <source>load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="16"/>
        <source>warm-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="17"/>
        <source>text encode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="18"/>
        <source>image encode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="19"/>
        <source>denoise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="20"/>
        <source>decode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="21"/>
        <source>save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="29"/>
        <source>DiT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="30"/>
        <source>text encoder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="31"/>
        <source>VAE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="38"/>
        <source>PyTorch&apos;s choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="44"/>
        <source>prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="45"/>
        <source>negative prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="46"/>
        <source>start image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="47"/>
        <source>output size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="48"/>
        <source>width (asked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="49"/>
        <source>height (asked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="50"/>
        <source>frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="51"/>
        <source>steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="52"/>
        <source>solver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="53"/>
        <source>seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="54"/>
        <source>guidance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="55"/>
        <source>shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="56"/>
        <source>attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="57"/>
        <source>precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="58"/>
        <source>DiT linears</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="59"/>
        <source>VAE decode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="60"/>
        <source>offload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="61"/>
        <source>low RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="62"/>
        <source>VAE decode (used)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="63"/>
        <source>model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="64"/>
        <source>device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="65"/>
        <source>frames per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="66"/>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="67"/>
        <source>PyTorch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="68"/>
        <source>CUDA (PyTorch&apos;s build)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="69"/>
        <source>GPU driver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="70"/>
        <source>attention (asked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="71"/>
        <source>Python</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="72"/>
        <source>system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="73"/>
        <source>Artifex version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="74"/>
        <source>attention kernel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PassCounter</name>
    <message>
        <location filename="../../artifex_gui/ui/pass_counter.py" line="26"/>
        <source>{0} steps × 1 pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/pass_counter.py" line="27"/>
        <source>{0} steps × {1} passes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/pass_counter.py" line="30"/>
        <source>Passes {0}/{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/pass_counter.py" line="32"/>
        <source>{0} reused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/pass_counter.py" line="36"/>
        <source>DiT passes computed of those run so far; reused passes came from the step cache, and the factor is how many fewer passes ran</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreviewView</name>
    <message>
        <location filename="../../artifex_gui/ui/preview.py" line="36"/>
        <source>The preview of each step appears here</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="29"/>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="30"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="31"/>
        <source>Generating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="32"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="33"/>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="34"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="35"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="38"/>
        <source>loading the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="39"/>
        <source>warming up (compiling)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="40"/>
        <source>encoding the prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="41"/>
        <source>encoding the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="42"/>
        <source>denoising</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="43"/>
        <source>decoding frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="44"/>
        <source>saving the video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="86"/>
        <source>Step {0}/{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="89"/>
        <source>Load {0}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="90"/>
        <source>Step –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="98"/>
        <source>{0} / {1} GiB · {2} / {3} tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="103"/>
        <source>this file {0}%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="121"/>
        <source>Elapsed {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="122"/>
        <source>ETA {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="126"/>
        <source>{0}×{1} · {2} frames ({3:.1f} s) · {4:,} tokens · {5} · {6} · seed {7}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../artifex_gui/ui/queue_panel.py" line="29"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/queue_panel.py" line="31"/>
        <source>Clear queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/queue_panel.py" line="52"/>
        <source>Queued jobs: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResultPlayer</name>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="43"/>
        <location filename="../../artifex_gui/ui/result_player.py" line="87"/>
        <location filename="../../artifex_gui/ui/result_player.py" line="97"/>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="45"/>
        <source>Open folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="47"/>
        <source>Copy path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="70"/>
        <source>The finished video plays here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="76"/>
        <source>Video: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="78"/>
        <source>Run report: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="81"/>
        <source>Video playback is not available here ({0}). Use Open folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="94"/>
        <source>Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="112"/>
        <source>The video cannot be played here: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunController</name>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="130"/>
        <source>Model folder chosen: the model&apos;s own defaults are set ({0}×{1}, {2} frames, {3} steps).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="132"/>
        <source>Demo model: quick settings are set ({0}×{1}, {2} frames, {3} steps); a run takes seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="150"/>
        <source>Engine ready. Attention backends that work here: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="182"/>
        <source>Memory meters stopped: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="194"/>
        <source>Queued job #{0}; it starts when the current run ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="220"/>
        <source>The model folder is incomplete: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="221"/>
        <source>Download the missing files into the folder, choose another folder, or clear it to use the demo model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="235"/>
        <source>The output folder cannot be created: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="236"/>
        <source>Choose another folder in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="284"/>
        <source>Cancelling: the engine stops after the current step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="291"/>
        <source>image-to-video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="291"/>
        <source>text-to-video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="292"/>
        <source>demo model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="293"/>
        <source>Starting {0} with {1} → {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="323"/>
        <source>Starting queued job #{0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunEntry</name>
    <message>
        <location filename="../../artifex_gui/model/history.py" line="75"/>
        <source>{0} frames</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunState</name>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="201"/>
        <source>Run started: {0}×{1}, {2} frames, {3} steps, seed {4}, {5} tokens, {6} on {7}, attention {8}, offload {9}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="208"/>
        <source> — demo model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="215"/>
        <source>Attention: {0} → {1}, {2}, dropout {3}, {4}×{5} heads, query {6}, key {7}, cross key {8}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="238"/>
        <source>{0} took {1} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="273"/>
        <source>Loading the model: {0} to read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="281"/>
        <source>Copied {0}: {1} GiB in {2} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="297"/>
        <source>Finished in {0} s: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="303"/>
        <source>Failed ({0}): {1} {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="309"/>
        <source>Cancelled during {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="311"/>
        <source>Cancelled during start-up.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SamplingPresetBox</name>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="101"/>
        <source>Quality · 50 steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="102"/>
        <source>Faster · step caching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="103"/>
        <source>Distilled model · few steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="104"/>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="106"/>
        <source>Fills steps, guidance, solver and cache; every value stays editable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="112"/>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="115"/>
        <source>first block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="118"/>
        <source>Every pass computed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="120"/>
        <source>Calibrated on TI2V-5B (published ratios): about half the passes reused at 0.06</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="122"/>
        <source>No calibration: reuses while the predicted change stays small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="124"/>
        <source>First-block cache: runs block 0, reuses the rest while its change is small</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="133"/>
        <source>Reuse a DiT pass when the published rule says it barely changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="138"/>
        <source>Higher reuses more passes (faster, further from the exact run); 0 reuses none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="143"/>
        <source>FastWan · 3 steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="144"/>
        <source>Turbo · 4 steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="146"/>
        <source>Which distilled checkpoint the model folder holds: sets its timesteps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="152"/>
        <source>Few-step timesteps, highest first, e.g. 1000,757,522</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="158"/>
        <source>Step cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="159"/>
        <source>threshold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="160"/>
        <source>Timesteps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="172"/>
        <source>Preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="253"/>
        <source>{0} DiT passes: one per step, guidance off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="255"/>
        <source>up to {0} DiT passes; the cache reuses some of them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="257"/>
        <source>{0} DiT passes: guidance 1.0 runs one pass per step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="259"/>
        <source>{0} DiT passes (two per step: with and without the prompt)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="29"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="32"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="36"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="41"/>
        <source>A new language applies the next time Artifex starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="53"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="55"/>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="61"/>
        <source>Save videos in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StepChart</name>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="104"/>
        <source>time since start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="83"/>
        <source>step time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="83"/>
        <location filename="../../artifex_gui/ui/step_chart.py" line="114"/>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="95"/>
        <source>Step times appear here when a run starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="115"/>
        <source>spike</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="116"/>
        <source>host→device copy (size = bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="249"/>
        <source>Step time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="117"/>
        <source>median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="118"/>
        <source>pass reused from the step cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="254"/>
        <source>Step time · median {0:.3g} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="257"/>
        <source>1 spike &gt; {0}× median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="259"/>
        <source>{0} spikes &gt; {1}× median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="261"/>
        <source>{0} copied to the GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="275"/>
        <source>Step {0}/{1}: {2:.3f} s ({3:.2f}× median)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="278"/>
        <source>timestep {0:.0f}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="281"/>
        <source>cond</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="281"/>
        <source>uncond</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="282"/>
        <location filename="../../artifex_gui/ui/step_chart.py" line="286"/>
        <source>passes: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="283"/>
        <source>(reused)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="289"/>
        <source>copied {0} in {1:.3f} s ({2:.1f} GB/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="291"/>
        <source>VRAM allocated {0}, peak {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
