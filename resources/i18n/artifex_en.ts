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
        <location filename="../../artifex_gui/app.py" line="129"/>
        <source>Artifex is already running. Switch to its window (it may be minimised or on another screen).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareChart</name>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="91"/>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="92"/>
        <source>step time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="125"/>
        <location filename="../../artifex_gui/ui/compare_view.py" line="161"/>
        <source>spike &gt; {0}× median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="145"/>
        <source>{0}: {1} · median {2}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="187"/>
        <source>Export chart (PNG)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="189"/>
        <source>Export summary (Markdown)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="230"/>
        <source>Select two runs above (Ctrl+click) to compare their step times, phases, memory and settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="266"/>
        <source>vs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="280"/>
        <source>{0} setting(s) differ (highlighted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="282"/>
        <source>same settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="347"/>
        <source>Export chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="349"/>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="358"/>
        <source>Export summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="358"/>
        <source>Markdown (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="370"/>
        <source>&apos;{0}&apos; could not be written: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="371"/>
        <source>Choose another folder or file name.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Comparison</name>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="42"/>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="43"/>
        <source>Phase times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="44"/>
        <source>Peak memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="45"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="46"/>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="85"/>
        <source>{0} copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="93"/>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="111"/>
        <source>status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="117"/>
        <source>steps done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="127"/>
        <source>median step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="134"/>
        <source>mean step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="142"/>
        <source>slowest step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="153"/>
        <source>spikes (&gt; {0}×)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="164"/>
        <source>spike steps, copied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="174"/>
        <source>copied host→device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="181"/>
        <source>total time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="194"/>
        <source>VRAM allocated (peak)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="201"/>
        <source>VRAM reserved (peak)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="208"/>
        <source>VRAM whole card (NVML)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="215"/>
        <source>process RAM (peak)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="256"/>
        <source>B&apos;s median step is {0}× A&apos;s ({1}% faster)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="258"/>
        <source>B&apos;s median step is {0}× A&apos;s ({1}% slower)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EngineHost</name>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="161"/>
        <source>The generation engine is not available in this build (engine.runner is missing).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="174"/>
        <source>The engine could not load: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="48"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="52"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="54"/>
        <source>Save recovered video as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="109"/>
        <source>Save recovered video as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="109"/>
        <source>Video (*.mp4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="126"/>
        <source>Not saved: {0} The frames are still in {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="132"/>
        <source>The recovered frames cannot be read: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="137"/>
        <source>Saved the recovered video to {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorReport</name>
    <message>
        <location filename="../../artifex_gui/worker.py" line="56"/>
        <source>Reinstall Artifex, or run from a checkout where the engine is complete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/worker.py" line="64"/>
        <source>This is a bug in Artifex. The details were written to the log file; please report them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="101"/>
        <source>Past runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="105"/>
        <source>Add folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="108"/>
        <source>Folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="113"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="130"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="131"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="132"/>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="133"/>
        <source>Median step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="134"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="193"/>
        <source>Add a folder with runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="201"/>
        <source>{0}  (output folder)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="204"/>
        <source>Remove {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="225"/>
        <source>Scanning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="281"/>
        <source>damaged: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="282"/>
        <source>This report cannot be read, so the run is left out:
{0}
{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="292"/>
        <source>(no prompt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="329"/>
        <source>{0} run(s) in {1} folder(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="331"/>
        <source>{0} damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="333"/>
        <source>select two to compare</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryScanner</name>
    <message>
        <location filename="../../artifex_gui/model/history.py" line="186"/>
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
        <location filename="../../artifex_gui/sizing.py" line="72"/>
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
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="62"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="65"/>
        <source>Built-in demo model (no folder chosen)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="66"/>
        <source>Choose folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="69"/>
        <source>Use the built-in demo model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="84"/>
        <source>Start image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="95"/>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="97"/>
        <source>Describe the video: subject, motion, camera, light…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="103"/>
        <source>Empty: the model&apos;s default negative prompt —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="109"/>
        <source>Negative prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="114"/>
        <source>Video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="119"/>
        <source>1280×704 landscape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="120"/>
        <source>704×1280 portrait</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="121"/>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="130"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="134"/>
        <source>4n+1 frames (81, 121 …); other values snap to the nearest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="144"/>
        <source>Frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="154"/>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="155"/>
        <source>Guidance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="156"/>
        <source>Shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="160"/>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="164"/>
        <source>random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="166"/>
        <source>Random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="168"/>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="169"/>
        <source>Copy the seed of the last run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="171"/>
        <source>Reuse last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="172"/>
        <source>Use the seed of the last run again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="179"/>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="183"/>
        <source>Engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="187"/>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="370"/>
        <source>auto (fastest that works)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="188"/>
        <source>Filled in with the backends that work on this machine once the engine has loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="191"/>
        <source>auto (as needed for the card)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="192"/>
        <source>off (everything on the GPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="193"/>
        <source>per model (swap encoder / DiT / VAE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="194"/>
        <source>per block (stream DiT blocks from RAM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="197"/>
        <source>Keep weights in system RAM and copy them to the GPU when needed: slower, fits smaller cards</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="199"/>
        <source>Solver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="201"/>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="204"/>
        <source>Attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="205"/>
        <source>Offload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="211"/>
        <source>Multiples of 32; other values snap to the nearest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="259"/>
        <source>{0:.2f} s at 24 fps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="310"/>
        <source>Output {0}×{1} — the picture&apos;s aspect ratio within {2}×{3}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="313"/>
        <source>No picture: text-to-video at {0}×{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="331"/>
        <source>Choose the Wan2.2-TI2V-5B folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="345"/>
        <source>Demo model: random weights, for trying the app — not real video.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="350"/>
        <source>✓ Complete: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="354"/>
        <source>This is {0}, not Wan2.2-TI2V-5B.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="356"/>
        <source>Missing: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="26"/>
        <source>default size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="28"/>
        <source> · image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="29"/>
        <source>#{0} {1} · {2}f · {3} steps{4} — {5}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="35"/>
        <source>(no prompt)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="110"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="113"/>
        <source>Busy: Generate adds a job to the queue. Edits apply to the next job.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="136"/>
        <source>Live preview</source>
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
        <location filename="../../artifex_gui/ui/main_window.py" line="164"/>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="184"/>
        <source>Live run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="185"/>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="210"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="211"/>
        <source>Open picture…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="213"/>
        <source>Choose model folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="215"/>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="217"/>
        <source>Open output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="219"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="225"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="226"/>
        <source>Open log folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="228"/>
        <location filename="../../artifex_gui/ui/main_window.py" line="522"/>
        <source>About Artifex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="257"/>
        <source>Loading the engine… you can set up your video meanwhile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="258"/>
        <source>Engine: loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="268"/>
        <source>Engine ready · attention: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="269"/>
        <source>Engine ready. Attention backends that work here: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="274"/>
        <source>Engine not available: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="275"/>
        <source>Engine: not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="287"/>
        <source>Quit Artifex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="288"/>
        <source>A video is being generated. Cancel it and quit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="319"/>
        <source>Settings could not be saved: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="346"/>
        <source>The model folder is incomplete: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="347"/>
        <source>Download the missing files into the folder, choose another folder, or clear it to use the demo model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="358"/>
        <source>The output folder cannot be created: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="359"/>
        <source>Choose another folder in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="365"/>
        <source>Queued job #{0}; it starts when the current run ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="366"/>
        <source>Job #{0} added to the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="390"/>
        <source>Cancelling: the engine stops after the current step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="393"/>
        <source>image-to-video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="393"/>
        <source>text-to-video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="394"/>
        <source>demo model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="395"/>
        <source>Starting {0} with {1} → {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="428"/>
        <source>Starting queued job #{0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="442"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="457"/>
        <source>Memory meters stopped: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="471"/>
        <source>starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="473"/>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="480"/>
        <source>Add to queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="481"/>
        <source>A run is busy: this job waits in the queue below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="483"/>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="484"/>
        <source>Start generating (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="501"/>
        <source>Demo model in use: random weights — the result is moving noise, not a real video. Choose your Wan2.2-TI2V-5B folder (File → Choose model folder) to generate for real.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="504"/>
        <source>Use quick demo settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="517"/>
        <source>The language changes the next time Artifex starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="523"/>
        <source>Artifex — local text and image to video with Wan2.2 TI2V-5B.

Data folder: {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MemoryMeters</name>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="33"/>
        <source>VRAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="36"/>
        <source>RAM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="41"/>
        <source>waiting for the first sample…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="57"/>
        <source>{0} / {1} GiB used on the card</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="59"/>
        <source>this app: allocated {0} GiB · reserved {1} GiB · source {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="66"/>
        <source>no CUDA GPU — running on the CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="69"/>
        <source>{0} / {1} GiB used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="70"/>
        <source>this app: {0} GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="77"/>
        <source>⚠ VRAM is nearly full: the driver may spill into slow shared memory. Turn on offload or choose a smaller size.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelFolder</name>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="54"/>
        <source>&apos;{0}&apos; is not a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="62"/>
        <source>The model folder {0} is missing: {1}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="75"/>
        <source>The folder could not be checked: {0}</source>
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
        <location filename="../../artifex_gui/ui/progress_panel.py" line="25"/>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="26"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="27"/>
        <source>Generating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="28"/>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="29"/>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="30"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="31"/>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="34"/>
        <source>loading the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="35"/>
        <source>encoding the prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="36"/>
        <source>encoding the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="37"/>
        <source>denoising</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="38"/>
        <source>decoding frames</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="39"/>
        <source>saving the video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="69"/>
        <source>Step {0}/{1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="69"/>
        <source>Step –</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="82"/>
        <source>Elapsed {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="83"/>
        <source>ETA {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="87"/>
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
    <name>RunEntry</name>
    <message>
        <location filename="../../artifex_gui/model/history.py" line="69"/>
        <source>{0} frames</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunState</name>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="160"/>
        <source>Run started: {0}×{1}, {2} frames, {3} steps, seed {4}, {5} tokens, {6} on {7}, attention {8}, offload {9}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="167"/>
        <source> — demo model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="174"/>
        <source>Attention: {0} → {1}, {2}, dropout {3}, {4}×{5} heads, query {6}, key {7}, cross key {8}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="197"/>
        <source>{0} took {1} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="224"/>
        <source>Copied {0}: {1} GiB in {2} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="240"/>
        <source>Finished in {0} s: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="247"/>
        <source>Failed ({0}): {1} {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="253"/>
        <source>Cancelled during {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="255"/>
        <source>Cancelled during start-up.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="27"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="30"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="34"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="39"/>
        <source>A new language applies the next time Artifex starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="45"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="47"/>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="52"/>
        <source>Save videos in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StepChart</name>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="42"/>
        <source>load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="43"/>
        <source>text encode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="44"/>
        <source>image encode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="45"/>
        <source>denoise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="46"/>
        <source>decode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="47"/>
        <source>save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="55"/>
        <source>time since start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="56"/>
        <source>step time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="75"/>
        <source>Step times appear here when a run starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="88"/>
        <source>spike</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="89"/>
        <source>host→device copy (size = bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="130"/>
        <source>median {0:.3g} s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="195"/>
        <source>Step time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="200"/>
        <source>Step time · median {0:.3g} s · {1} spike(s) &gt; {2}× median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="202"/>
        <source>{0} copied to the GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="215"/>
        <source>Step {0}/{1}: {2:.3f} s ({3:.2f}× median)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="218"/>
        <source>timestep {0:.0f}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="221"/>
        <source>passes: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="224"/>
        <source>copied {0} in {1:.3f} s ({2:.1f} GB/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="226"/>
        <source>VRAM allocated {0}, peak {1}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LatentsBar</name>
    <message>
        <source>Decode again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode this run's kept latents into a video again, without the denoising steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete latents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one run to see whether its latents are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latents kept: {0} ({1}). Decode again makes a video from them without the steps.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No latents kept for this run (deleted, or keep latents was off).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete {0}? The run's video and report stay; it can no longer be decoded again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The latents cannot be deleted: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode again waits for the current run: press it when the run has ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decoding again from {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep each run's final latents (about 21 MB at 1280×704, 121 frames)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If the decode runs out of memory, Decode again makes the video from them without the steps. History can delete them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
