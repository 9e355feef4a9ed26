<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>App</name>
    <message>
        <location filename="../../artifex_gui/app.py" line="53"/>
        <source>Something went wrong inside Artifex.</source>
        <translation>Artifex 내부에서 문제가 발생했습니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/app.py" line="55"/>
        <source>{0}

The details were written to {1}. Artifex keeps running; if something looks wrong, restart it.</source>
        <translation>{0}

자세한 내용은 {1}에 기록되었습니다. Artifex는 계속 실행됩니다. 이상하면 다시 시작하세요.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/app.py" line="156"/>
        <source>Artifex is already running. Switch to its window (it may be minimised or on another screen).</source>
        <translation>Artifex가 이미 실행 중입니다. 그 창으로 전환하세요(최소화되었거나 다른 화면에 있을 수 있습니다).</translation>
    </message>
</context>
<context>
    <name>CompareChart</name>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="99"/>
        <source>step</source>
        <translation>스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="100"/>
        <source>step time</source>
        <translation>스텝 시간</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="133"/>
        <location filename="../../artifex_gui/ui/compare_view.py" line="168"/>
        <source>spike &gt; {0}× median</source>
        <translation>급증 &gt; 중앙값의 {0}배</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="154"/>
        <source>{0} · median {1}</source>
        <translation>{0} · 중앙값 {1}</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="195"/>
        <source>Export chart (PNG)…</source>
        <translation>차트 내보내기(PNG)…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="197"/>
        <source>Export summary (Markdown)…</source>
        <translation>요약 내보내기(Markdown)…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="242"/>
        <source>Select two runs above (Ctrl+click) to compare their step times, phases, memory and settings.</source>
        <translation>위에서 실행 두 개를 선택하면(Ctrl+클릭) 스텝 시간, 단계, 메모리, 설정을 비교합니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="280"/>
        <source>vs</source>
        <translation>대</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="295"/>
        <source>different output sizes: {0} and {1}</source>
        <translation>출력 크기가 다름: {0}, {1}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="300"/>
        <source>1 setting differs (highlighted)</source>
        <translation>설정 1개가 다름(강조 표시)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="300"/>
        <source>{0} settings differ (highlighted)</source>
        <translation>설정 {0}개가 다름(강조 표시)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="302"/>
        <source>same settings</source>
        <translation>설정 같음</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="371"/>
        <source>Export chart</source>
        <translation>차트 내보내기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="373"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="382"/>
        <source>Export summary</source>
        <translation>요약 내보내기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="382"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="394"/>
        <source>&apos;{0}&apos; could not be written: {1}</source>
        <translation>&apos;{0}&apos; 파일을 쓸 수 없습니다: {1}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/compare_view.py" line="395"/>
        <source>Choose another folder or file name.</source>
        <translation>다른 폴더나 파일 이름을 선택하세요.</translation>
    </message>
</context>
<context>
    <name>Comparison</name>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="53"/>
        <source>Steps</source>
        <translation>스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="54"/>
        <source>Phase times</source>
        <translation>단계별 시간</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="55"/>
        <source>Peak memory</source>
        <translation>최대 메모리</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="56"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="57"/>
        <source>Environment</source>
        <translation>환경</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="96"/>
        <source>{0} copied</source>
        <translation>{0} 복사됨</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="104"/>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="132"/>
        <source>{0} reused, {1:.2f}× fewer</source>
        <translation>{0}개 재사용, {1:.2f}× 적음</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="151"/>
        <source>status</source>
        <translation>상태</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="157"/>
        <source>steps done</source>
        <translation>완료된 스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="167"/>
        <source>median step</source>
        <translation>스텝 중앙값</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="174"/>
        <source>mean step</source>
        <translation>스텝 평균</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="182"/>
        <source>slowest step</source>
        <translation>가장 느린 스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="193"/>
        <source>DiT passes computed</source>
        <translation>계산한 DiT 패스</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="205"/>
        <source>passes per step (C computed, r reused)</source>
        <translation>스텝별 패스 (C 계산, r 재사용)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="216"/>
        <source>spikes (&gt; {0}×)</source>
        <translation>급증(&gt; {0}배)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="227"/>
        <source>spike steps, copied</source>
        <translation>급증 스텝, 복사량</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="237"/>
        <source>copied host→device</source>
        <translation>호스트→장치 복사량</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="244"/>
        <source>total time</source>
        <translation>전체 시간</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="259"/>
        <source>VRAM allocated (peak)</source>
        <translation>VRAM 할당(최대)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="266"/>
        <source>VRAM reserved (peak)</source>
        <translation>VRAM 예약(최대)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="273"/>
        <source>VRAM whole card (NVML)</source>
        <translation>VRAM 카드 전체(NVML)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="280"/>
        <source>process RAM (peak)</source>
        <translation>프로세스 RAM(최대)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="329"/>
        <source>B&apos;s median step is {0}× A&apos;s ({1}% faster)</source>
        <translation>B의 스텝 중앙값은 A의 {0}배({1}% 빠름)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/comparison.py" line="331"/>
        <source>B&apos;s median step is {0}× A&apos;s ({1}% slower)</source>
        <translation>B의 스텝 중앙값은 A의 {0}배({1}% 느림)</translation>
    </message>
</context>
<context>
    <name>EngineHost</name>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="222"/>
        <source>The engine could not load: {0}</source>
        <translation>엔진을 불러올 수 없습니다: {0}</translation>
    </message>
</context>
<context>
    <name>ErrorPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="53"/>
        <source>Details</source>
        <translation>자세히</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="57"/>
        <source>Dismiss</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="59"/>
        <source>Save recovered video as…</source>
        <translation>복구한 영상을 다른 이름으로 저장…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="130"/>
        <source>Save recovered video as</source>
        <translation>복구한 영상을 다른 이름으로 저장</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="130"/>
        <source>Video (*.mp4)</source>
        <translation>영상 (*.mp4)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="141"/>
        <source>Saving the recovered video to {0}…</source>
        <translation>복구한 영상을 {0}에 저장하는 중…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/worker.py" line="199"/>
        <source>Not saved: {0} The frames are still in {1}.</source>
        <translation>저장하지 못했습니다: {0} 프레임은 {1}에 그대로 남아 있습니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/worker.py" line="205"/>
        <source>The recovered frames cannot be read: {0}</source>
        <translation>복구한 프레임을 읽을 수 없습니다: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="154"/>
        <source>Saved the recovered video to {0}</source>
        <translation>복구한 영상을 {0}에 저장했습니다</translation>
    </message>
</context>
<context>
    <name>ErrorReport</name>
    <message>
        <location filename="../../artifex_gui/worker.py" line="48"/>
        <source>Reinstall Artifex, or run from a checkout where the engine is complete.</source>
        <translation>Artifex를 다시 설치하거나, 엔진이 모두 갖춰진 체크아웃에서 실행하세요.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/worker.py" line="56"/>
        <source>This is a bug in Artifex. The details were written to the log file; please report them.</source>
        <translation>Artifex의 버그입니다. 자세한 내용은 로그 파일에 기록되었으니 신고해 주세요.</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="103"/>
        <source>Past runs</source>
        <translation>지난 실행</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="107"/>
        <source>Add folder…</source>
        <translation>폴더 추가…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="110"/>
        <source>Folders</source>
        <translation>폴더</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="115"/>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="132"/>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="133"/>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="134"/>
        <source>Total</source>
        <translation>전체</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="135"/>
        <source>Median step</source>
        <translation>스텝 중앙값</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="136"/>
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="198"/>
        <source>Add a folder with runs</source>
        <translation>실행 기록이 있는 폴더 추가</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="206"/>
        <source>{0}  (output folder)</source>
        <translation>{0}  (출력 폴더)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="209"/>
        <source>Remove {0}</source>
        <translation>{0} 제거</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="230"/>
        <source>Scanning…</source>
        <translation>검색 중…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="286"/>
        <source>damaged: {0}</source>
        <translation>손상됨: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="287"/>
        <source>This report cannot be read, so the run is left out:
{0}
{1}</source>
        <translation>이 보고서를 읽을 수 없어 이 실행은 제외됩니다:
{0}
{1}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="297"/>
        <source>(no prompt)</source>
        <translation>(프롬프트 없음)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="337"/>
        <source>1 run</source>
        <translation>실행 1개</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="337"/>
        <source>{0} runs</source>
        <translation>실행 {0}개</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="339"/>
        <source>in 1 folder</source>
        <translation>(폴더 1개)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="339"/>
        <source>in {0} folders</source>
        <translation>(폴더 {0}개)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="342"/>
        <source>{0} damaged</source>
        <translation>{0}개 손상됨</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/history_panel.py" line="344"/>
        <source>select two to compare</source>
        <translation>두 개를 선택해 비교</translation>
    </message>
</context>
<context>
    <name>HistoryScanner</name>
    <message>
        <location filename="../../artifex_gui/model/history.py" line="205"/>
        <source>cannot be analysed: {0}</source>
        <translation>분석할 수 없습니다: {0}</translation>
    </message>
</context>
<context>
    <name>ImageDropZone</name>
    <message>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="85"/>
        <source>Remove the image (text-to-video)</source>
        <translation>이미지 제거(텍스트→영상)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="86"/>
        <source>Drop a picture here or click to choose one</source>
        <translation>여기에 그림을 놓거나 클릭하여 선택하세요</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="96"/>
        <source>Drop a picture here or click to browse
(optional — without one, text-to-video)</source>
        <translation>여기에 그림을 놓거나 클릭하여 찾아보기
(선택 사항 — 없으면 텍스트→영상)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/sizing.py" line="77"/>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="110"/>
        <source>&apos;{0}&apos; cannot be read: {1}</source>
        <translation>&apos;{0}&apos; 파일을 읽을 수 없습니다: {1}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="142"/>
        <source>Choose a picture</source>
        <translation>그림 선택</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/drop_zone.py" line="144"/>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;All files (*)</source>
        <translation>그림 (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;모든 파일 (*)</translation>
    </message>
</context>
<context>
    <name>InputsPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="120"/>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="123"/>
        <source>Demo model</source>
        <translation>데모 모델</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="124"/>
        <source>No folder chosen: the built-in demo model is used</source>
        <translation>폴더를 선택하지 않음: 내장 데모 모델을 사용합니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="125"/>
        <source>Choose folder…</source>
        <translation>폴더 선택…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="128"/>
        <source>Use the built-in demo model</source>
        <translation>내장 데모 모델 사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="143"/>
        <source>Start image</source>
        <translation>시작 이미지</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="154"/>
        <source>Prompt</source>
        <translation>프롬프트</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="156"/>
        <source>Describe the video: subject, motion, camera, light…</source>
        <translation>영상을 설명하세요: 피사체, 움직임, 카메라, 조명…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="160"/>
        <source>Empty: the model&apos;s default (hover to read it)</source>
        <translation>비우면 모델 기본값(마우스를 올리면 보임)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="162"/>
        <source>Empty: the model&apos;s default negative prompt —</source>
        <translation>비워 두면 모델 기본 네거티브 프롬프트 사용 —</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="167"/>
        <source>Negative prompt</source>
        <translation>네거티브 프롬프트</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="172"/>
        <source>Video</source>
        <translation>영상</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="177"/>
        <source>1280×704 landscape</source>
        <translation>1280×704 가로</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="178"/>
        <source>704×1280 portrait</source>
        <translation>704×1280 세로</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="179"/>
        <source>Custom</source>
        <translation>사용자 지정</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="189"/>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="193"/>
        <source>4n+1 frames (81, 121 …); other values snap to the nearest</source>
        <translation>4n+1 프레임(81, 121 …); 다른 값은 가장 가까운 값으로 맞춥니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="202"/>
        <source>Frames</source>
        <translation>프레임</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="209"/>
        <source>Steps</source>
        <translation>스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="210"/>
        <source>Guidance</source>
        <translation>가이던스</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="211"/>
        <source>Shift</source>
        <translation>시프트</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="215"/>
        <source>Sampling</source>
        <translation>샘플링</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="217"/>
        <source>Speed</source>
        <translation>속도</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="221"/>
        <source>random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="222"/>
        <source>Random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="223"/>
        <source>Copy</source>
        <translation>복사</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="224"/>
        <source>Copy the seed of the last run</source>
        <translation>마지막 실행의 시드 복사</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="226"/>
        <source>Reuse last</source>
        <translation>마지막 값 재사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="227"/>
        <source>Use the seed of the last run again</source>
        <translation>마지막 실행의 시드를 다시 사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="234"/>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="238"/>
        <source>Engine</source>
        <translation>엔진</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="241"/>
        <source>few-step</source>
        <translation>퓨스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="243"/>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="446"/>
        <source>auto (fastest that works)</source>
        <translation>자동(작동하는 것 중 가장 빠름)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="244"/>
        <source>Filled in with the backends that work on this machine once the engine has loaded</source>
        <translation>엔진이 로드되면 이 컴퓨터에서 작동하는 백엔드로 채워집니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="247"/>
        <source>in the precision above</source>
        <translation>위의 정밀도로</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="248"/>
        <source>fp8 attention q/k/v (less memory)</source>
        <translation>fp8 어텐션 q/k/v (메모리 절약)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="249"/>
        <source>fp8 everywhere (faster, more error)</source>
        <translation>fp8 전체 (더 빠름, 오차 큼)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="253"/>
        <source>The DiT&apos;s block linears can multiply in 8-bit floats on GPUs with fp8 tensor cores (RTX 40/50 series, L4, L40, H100, H200, B200; refused on others). Measured on an H200 with random weights: attention q/k/v in fp8 holds a 2% error against bf16, 17% less DiT memory, about as fast; everywhere: half the DiT&apos;s memory, 11% faster steps, 7% error.</source>
        <translation>DiT 블록의 선형층을 fp8 텐서 코어가 있는 GPU(RTX 40/50 시리즈, L4, L40, H100, H200, B200)에서 8비트 부동소수점으로 곱합니다(다른 GPU에서는 거부됨). H200에서 무작위 가중치로 측정: 어텐션 q/k/v만 fp8이면 bf16 대비 오차 2%, DiT 메모리 17% 절약, 속도는 거의 같음. 전체 fp8이면 DiT 메모리 절반, 스텝 11% 빠름, 오차 7%.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="258"/>
        <source>auto (the fastest that fits)</source>
        <translation>자동 (메모리에 맞는 가장 빠른 방식)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="265"/>
        <source>How the VAE turns the latents into frames (measured on an H200 at 1280×704). Full: 9.9 GiB, the fastest. In bands: the same frames, the large high-resolution part a frame at a time (6.2 GiB, 1.16× the time; in two bands 5.4 GiB). Tiled: 2.9 GiB, about 3× slower, tiles blended. Auto takes the fastest that fits the free GPU memory; a decode that runs out of memory is retried at once in the next mode down.</source>
        <translation>VAE가 잠재 표현을 프레임으로 바꾸는 방식입니다 (H200, 1280×704에서 측정). 전체: 9.9 GiB, 가장 빠릅니다. 밴드: 같은 프레임을 만들며, 큰 고해상도 부분을 한 프레임씩 처리합니다 (6.2 GiB, 시간 1.16배; 두 밴드로 나누면 5.4 GiB). 타일: 2.9 GiB, 약 3배 느리며 타일 경계를 섞습니다. 자동은 남은 GPU 메모리에 맞는 가장 빠른 방식을 고르고, 메모리가 부족한 디코딩은 곧바로 한 단계 아래 방식으로 다시 시도합니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="259"/>
        <source>full (fastest, most memory)</source>
        <translation>전체(가장 빠름, 메모리 최대)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="260"/>
        <source>in bands (same frames, less memory)</source>
        <translation>띠 단위(같은 프레임, 메모리 절약)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="261"/>
        <source>tiled (least memory, slower)</source>
        <translation>타일(메모리 최소, 느림)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="271"/>
        <source>auto (as needed for the card)</source>
        <translation>자동(그래픽 카드에 맞게)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="272"/>
        <source>off (everything on the GPU)</source>
        <translation>끄기(모두 GPU에)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="273"/>
        <source>per model (swap encoder / DiT / VAE)</source>
        <translation>모델 단위(인코더 / DiT / VAE 교체)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="274"/>
        <source>per block (stream DiT blocks from RAM)</source>
        <translation>블록 단위(RAM에서 DiT 블록 스트리밍)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="277"/>
        <source>Keep weights in system RAM and copy them to the GPU when needed: slower, fits smaller cards</source>
        <translation>가중치를 시스템 RAM에 두고 필요할 때 GPU로 복사: 느리지만 작은 카드에서도 동작</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="278"/>
        <source>Low RAM</source>
        <translation>적은 RAM</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="280"/>
        <source>For PCs with 16 GB of RAM: the text encoder (11 GB) is not kept between runs. It is read from its file when a new prompt needs it and let go after the text encode; the same prompt again reuses its encoding.</source>
        <translation>RAM이 16 GB인 PC용: 텍스트 인코더(11 GB)를 실행 사이에 메모리에 두지 않습니다. 새 프롬프트가 필요할 때 파일에서 읽고 텍스트 인코딩이 끝나면 내려놓습니다. 같은 프롬프트를 다시 쓰면 그 인코딩을 재사용합니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="284"/>
        <source>Solver</source>
        <translation>솔버</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="286"/>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="289"/>
        <source>DiT linears</source>
        <translation>DiT 선형층</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="290"/>
        <source>Attention</source>
        <translation>어텐션</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="294"/>
        <source>Offload</source>
        <translation>오프로드</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="295"/>
        <source>VAE decode</source>
        <translation>VAE 디코딩</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="301"/>
        <source>Multiples of 32; other values snap to the nearest</source>
        <translation>32의 배수; 다른 값은 가장 가까운 값으로 맞춥니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="348"/>
        <source>{0:.2f} s at 24 fps</source>
        <translation>24fps에서 {0:.2f}초</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="380"/>
        <source>Output {0}×{1}: the picture&apos;s shape, with at most the pixels of {2}×{3}</source>
        <translation>출력 {0}×{1}: 그림의 비율 그대로, 픽셀 수는 {2}×{3} 이하</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="385"/>
        <source>No picture: text-to-video at {0}×{1}</source>
        <translation>그림 없음: {0}×{1} 텍스트→영상</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="403"/>
        <source>Choose the Wan2.2-TI2V-5B folder</source>
        <translation>Wan2.2-TI2V-5B 폴더 선택</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="418"/>
        <source>No folder: the model files below are used.</source>
        <translation>폴더 없음: 아래 모델 파일을 사용합니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="422"/>
        <source>Demo model: random weights, for trying the app — not real video.</source>
        <translation>데모 모델: 무작위 가중치로 앱 체험용 — 실제 영상이 아닙니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="427"/>
        <source>✓ Complete: {0}</source>
        <translation>✓ 완전함: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="431"/>
        <source>This is {0}, not Wan2.2-TI2V-5B.</source>
        <translation>이 폴더는 Wan2.2-TI2V-5B가 아니라 {0}입니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/inputs_panel.py" line="433"/>
        <source>Missing: {0}</source>
        <translation>없는 파일: {0}</translation>
    </message>
</context>
<context>
    <name>Job</name>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="29"/>
        <source>default size</source>
        <translation>기본 크기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="30"/>
        <source> · image</source>
        <translation> · 이미지</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="31"/>
        <source>#{0} {1} · {2}f · {3} steps{4} — {5}</source>
        <translation>#{0} {1} · {2}프레임 · {3}스텝{4} — {5}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/job_queue.py" line="37"/>
        <source>(no prompt)</source>
        <translation>(프롬프트 없음)</translation>
    </message>
</context>
<context>
    <name>LatentsBar</name>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="63"/>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="37"/>
        <source>Decode again</source>
        <translation>다시 디코딩</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/error_panel.py" line="65"/>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="40"/>
        <source>Decode this run&apos;s kept latents into a video again, without the denoising steps</source>
        <translation>이 실행에서 보관한 잠재값(latents)을 디노이징 단계 없이 다시 동영상으로 디코딩합니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="43"/>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="87"/>
        <source>Delete latents</source>
        <translation>잠재값 삭제</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="60"/>
        <source>Select one run to see whether its latents are kept.</source>
        <translation>실행 하나를 선택하면 잠재값이 보관되어 있는지 보여 줍니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="64"/>
        <source>Latents kept: {0} ({1}). Decode again makes a video from them without the steps.</source>
        <translation>잠재값 보관됨: {0} ({1}). 다시 디코딩하면 단계 없이 이것으로 동영상을 만듭니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="70"/>
        <source>No latents kept for this run (deleted, or keep latents was off).</source>
        <translation>이 실행에는 보관된 잠재값이 없습니다(삭제되었거나 잠재값 보관이 꺼져 있었습니다).</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="88"/>
        <source>Delete {0}? The run&apos;s video and report stay; it can no longer be decoded again.</source>
        <translation>{0}을(를) 삭제할까요? 실행의 동영상과 보고서는 남지만, 더 이상 다시 디코딩할 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/latents_bar.py" line="97"/>
        <source>The latents cannot be deleted: {0}</source>
        <translation>잠재값을 삭제할 수 없습니다: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="261"/>
        <source>Decode again waits for the current run: press it when the run has ended.</source>
        <translation>다시 디코딩은 현재 실행을 기다려야 합니다. 실행이 끝난 뒤에 누르세요.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="288"/>
        <source>Decoding again from {0}</source>
        <translation>{0}에서 다시 디코딩하는 중</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="43"/>
        <source>Keep each run&apos;s final latents (about 21 MB at 1280×704, 121 frames)</source>
        <translation>실행마다 최종 잠재값 보관(1280×704, 121프레임에서 약 21 MB)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="45"/>
        <source>If the decode runs out of memory, Decode again makes the video from them without the steps. History can delete them.</source>
        <translation>디코딩 중 메모리가 부족해도 다시 디코딩으로 단계 없이 동영상을 만들 수 있습니다. 기록에서 삭제할 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>LoraPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="112"/>
        <source>LoRAs</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="118"/>
        <source>No LoRA. Add one, or drop .safetensors files here.</source>
        <translation>LoRA 없음. 추가하거나 .safetensors 파일을 여기에 놓으세요.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="121"/>
        <source>Add LoRA…</source>
        <translation>LoRA 추가…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="135"/>
        <source>Choose LoRA files</source>
        <translation>LoRA 파일 선택</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="135"/>
        <source>LoRA (*.safetensors)</source>
        <translation>LoRA (*.safetensors)</translation>
    </message>
</context>
<context>
    <name>LoraRow</name>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="56"/>
        <source>Remove this LoRA</source>
        <translation>이 LoRA 제거</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/lora_panel.py" line="60"/>
        <source>✗ {0}</source>
        <translation>✗ {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="98"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="369"/>
        <source>Busy: Generate adds a job to the queue. Edits apply to the next job.</source>
        <translation>실행 중: 생성을 누르면 작업이 대기열에 추가됩니다. 변경 사항은 다음 작업에 적용됩니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="136"/>
        <source>Live preview</source>
        <translation>실시간 미리보기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="101"/>
        <source>Plan…</source>
        <translation>계획…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="103"/>
        <source>What Generate would run: sizes, tokens, passes, offload and memory (Ctrl+I)</source>
        <translation>생성을 누르면 실행될 내용: 크기, 토큰, 패스, 오프로드, 메모리 (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="137"/>
        <source>Result</source>
        <translation>결과</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="145"/>
        <source>Progress</source>
        <translation>진행</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="148"/>
        <source>Memory</source>
        <translation>메모리</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="172"/>
        <source>Log</source>
        <translation>로그</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="191"/>
        <source>Live run</source>
        <translation>현재 실행</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="192"/>
        <source>History</source>
        <translation>기록</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="219"/>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="220"/>
        <source>Open picture…</source>
        <translation>그림 열기…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="222"/>
        <source>Choose model folder…</source>
        <translation>모델 폴더 선택…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="224"/>
        <source>Settings…</source>
        <translation>설정…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="226"/>
        <source>Open output folder</source>
        <translation>출력 폴더 열기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="228"/>
        <source>Quit</source>
        <translation>끝내기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="234"/>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="235"/>
        <source>Open log folder</source>
        <translation>로그 폴더 열기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="237"/>
        <location filename="../../artifex_gui/ui/main_window.py" line="499"/>
        <source>About Artifex</source>
        <translation>Artifex 정보</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="270"/>
        <source>Saved the recovered video to {0}</source>
        <translation>복구한 영상을 {0}에 저장했습니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="294"/>
        <source>Loading the engine… you can set up your video meanwhile.</source>
        <translation>엔진을 불러오는 중… 그동안 영상을 설정할 수 있습니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="432"/>
        <source>Error: {0}</source>
        <translation>오류: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="434"/>
        <source>Finished: {0}</source>
        <translation>완료: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="436"/>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="438"/>
        <source>Engine: loading…</source>
        <translation>엔진: 불러오는 중…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="485"/>
        <source>Artifex {0} — local text and image to video with Wan2.2 TI2V-5B.

Data folder: {1}
Log file: {2}</source>
        <translation>Artifex {0} — Wan2.2 TI2V-5B로 텍스트와 이미지에서 로컬로 영상을 만듭니다.

데이터 폴더: {1}
로그 파일: {2}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="495"/>
        <source>What Generate would run</source>
        <translation>생성을 누르면 실행될 내용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="495"/>
        <source>This cannot run yet</source>
        <translation>아직 실행할 수 없습니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="298"/>
        <source>Engine not available: {0}</source>
        <translation>엔진을 사용할 수 없음: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="440"/>
        <source>Engine: not available</source>
        <translation>엔진: 사용할 수 없음</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="304"/>
        <source>Quit Artifex</source>
        <translation>Artifex 끝내기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="305"/>
        <source>A video is being generated. Cancel it and quit?</source>
        <translation>영상을 생성하는 중입니다. 취소하고 끝낼까요?</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="325"/>
        <source>Settings could not be saved: {0}</source>
        <translation>설정을 저장할 수 없습니다: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="251"/>
        <source>Job #{0} added to the queue</source>
        <translation>작업 #{0}을(를) 대기열에 추가함</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="399"/>
        <source>Dismiss</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="420"/>
        <source>starting…</source>
        <translation>시작 중…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="422"/>
        <source>finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="359"/>
        <source>Add to queue</source>
        <translation>대기열에 추가</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="360"/>
        <source>A run is busy: this job waits in the queue below</source>
        <translation>실행 중: 이 작업은 아래 대기열에서 기다립니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="362"/>
        <source>Generate</source>
        <translation>생성</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="363"/>
        <source>Start generating (Ctrl+Enter)</source>
        <translation>생성 시작 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="442"/>
        <source>Engine ready</source>
        <translation>엔진 준비됨</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="464"/>
        <source>Demo model in use: random weights — the result is moving noise, not a real video. Choose your Wan2.2-TI2V-5B folder (File → Choose model folder) to generate for real.</source>
        <translation>데모 모델 사용 중: 무작위 가중치라 결과는 실제 영상이 아닌 움직이는 노이즈입니다. 실제로 생성하려면 Wan2.2-TI2V-5B 폴더를 선택하세요(파일 → 모델 폴더 선택).</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="467"/>
        <source>Quick demo settings ({0}×{1}, {2} frames, {3} steps): a run takes seconds.</source>
        <translation>빠른 데모 설정({0}×{1}, {2}프레임, {3}스텝): 몇 초면 끝납니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="469"/>
        <source>Use quick demo settings</source>
        <translation>빠른 데모 설정 사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/main_window.py" line="480"/>
        <source>The language changes the next time Artifex starts.</source>
        <translation>언어는 Artifex를 다음에 시작할 때 바뀝니다.</translation>
    </message>
</context>
<context>
    <name>MemoryMeters</name>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="35"/>
        <source>VRAM</source>
        <translation>VRAM</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="38"/>
        <source>RAM</source>
        <translation>RAM</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="43"/>
        <source>waiting for the first sample…</source>
        <translation>첫 측정을 기다리는 중…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="59"/>
        <source>{0} / {1} GiB used on the card</source>
        <translation>카드에서 {0} / {1} GiB 사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="61"/>
        <source>this app: allocated {0} GiB · reserved {1} GiB · source {2}</source>
        <translation>이 앱: 할당 {0} GiB · 예약 {1} GiB · 출처 {2}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="68"/>
        <source>no CUDA GPU</source>
        <translation>CUDA GPU 없음</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="69"/>
        <source>running on the CPU</source>
        <translation>CPU에서 실행</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="71"/>
        <source>{0} / {1} GiB used</source>
        <translation>{0} / {1} GiB 사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="72"/>
        <source>this app: {0} GiB</source>
        <translation>이 앱: {0} GiB</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/meters.py" line="79"/>
        <source>⚠ VRAM is nearly full: the driver may spill into slow shared memory. Turn on offload or choose a smaller size.</source>
        <translation>⚠ VRAM이 거의 가득 찼습니다: 드라이버가 느린 공유 메모리를 쓸 수 있습니다. 오프로드를 켜거나 더 작은 크기를 선택하세요.</translation>
    </message>
</context>
<context>
    <name>ModelFolder</name>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="99"/>
        <source>&apos;{0}&apos; is not a folder.</source>
        <translation>&apos;{0}&apos;은(는) 폴더가 아닙니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="115"/>
        <source>The folder could not be checked: {0}</source>
        <translation>폴더를 확인할 수 없습니다: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/engine_bridge.py" line="161"/>
        <source>The files could not be checked: {0}</source>
        <translation>파일을 확인할 수 없습니다: {0}</translation>
    </message>
</context>
<context>
    <name>ModelPartsPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="49"/>
        <source>Model files (ComfyUI or mixed)</source>
        <translation>모델 파일(ComfyUI 또는 혼합)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="54"/>
        <source>DiT</source>
        <translation>DiT</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="55"/>
        <source>Text encoder</source>
        <translation>텍스트 인코더</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="56"/>
        <source>VAE</source>
        <translation>VAE</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="57"/>
        <source>Tokenizer</source>
        <translation>토크나이저</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="61"/>
        <source>wan2.2_ti2v_5B_fp16</source>
        <translation>wan2.2_ti2v_5B_fp16</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="62"/>
        <source>umt5_xxl_fp8_scaled</source>
        <translation>umt5_xxl_fp8_scaled</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="63"/>
        <source>wan2.2_vae</source>
        <translation>wan2.2_vae</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="64"/>
        <source>beside the files</source>
        <translation>파일 옆에서 찾음</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="74"/>
        <source>For example {0}</source>
        <translation>예: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="76"/>
        <source>Empty: the tokenizer is looked for next to the model files</source>
        <translation>비워 두면 모델 파일 옆에서 토크나이저를 찾습니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="79"/>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="83"/>
        <source>Use the folder&apos;s part</source>
        <translation>폴더의 구성 요소 사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="109"/>
        <source>Choose the umT5 tokenizer folder</source>
        <translation>umT5 토크나이저 폴더 선택</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="114"/>
        <source>Choose the model file</source>
        <translation>모델 파일 선택</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="116"/>
        <source>Safetensors (*.safetensors)</source>
        <translation>Safetensors (*.safetensors)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="135"/>
        <source>No model chosen: the built-in demo model runs.</source>
        <translation>선택한 모델 없음: 내장 데모 모델로 실행합니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="146"/>
        <source>The engine&apos;s format detection is not available.</source>
        <translation>엔진의 형식 감지를 사용할 수 없습니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="149"/>
        <source>original</source>
        <translation>원본</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="150"/>
        <source>Diffusers</source>
        <translation>Diffusers</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="151"/>
        <source>ComfyUI</source>
        <translation>ComfyUI</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="152"/>
        <source>given</source>
        <translation>지정됨</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="158"/>
        <source>✓ {0}: {1}</source>
        <translation>✓ {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="161"/>
        <source>✗ missing: {0}</source>
        <translation>✗ 없음: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="168"/>
        <source>All four parts found.</source>
        <translation>네 가지 구성 요소를 모두 찾았습니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/model_parts.py" line="171"/>
        <source>Some parts are missing (see above).</source>
        <translation>일부 구성 요소가 없습니다(위 참조).</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="15"/>
        <source>load</source>
        <translation>로드</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="16"/>
        <source>warm-up</source>
        <translation>워밍업</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="17"/>
        <source>text encode</source>
        <translation>텍스트 인코딩</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="18"/>
        <source>image encode</source>
        <translation>이미지 인코딩</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="19"/>
        <source>denoise</source>
        <translation>디노이즈</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="20"/>
        <source>decode</source>
        <translation>디코드</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="21"/>
        <source>save</source>
        <translation>저장</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="29"/>
        <source>DiT</source>
        <translation>DiT</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="30"/>
        <source>text encoder</source>
        <translation>텍스트 인코더</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="31"/>
        <source>VAE</source>
        <translation>VAE</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="38"/>
        <source>PyTorch&apos;s choice</source>
        <translation>PyTorch가 선택</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="44"/>
        <source>prompt</source>
        <translation>프롬프트</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="45"/>
        <source>negative prompt</source>
        <translation>네거티브 프롬프트</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="46"/>
        <source>start image</source>
        <translation>시작 이미지</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="47"/>
        <source>output size</source>
        <translation>출력 크기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="48"/>
        <source>width (asked)</source>
        <translation>너비(요청)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="49"/>
        <source>height (asked)</source>
        <translation>높이(요청)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="50"/>
        <source>frames</source>
        <translation>프레임</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="51"/>
        <source>steps</source>
        <translation>스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="52"/>
        <source>solver</source>
        <translation>솔버</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="53"/>
        <source>seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="54"/>
        <source>guidance</source>
        <translation>가이던스</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="55"/>
        <source>shift</source>
        <translation>시프트</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="56"/>
        <source>attention</source>
        <translation>어텐션</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="57"/>
        <source>precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="58"/>
        <source>DiT linears</source>
        <translation>DiT 선형층</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="59"/>
        <source>VAE decode</source>
        <translation>VAE 디코딩</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="60"/>
        <source>offload</source>
        <translation>오프로드</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="61"/>
        <source>low RAM</source>
        <translation>적은 RAM</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="62"/>
        <source>VAE decode (used)</source>
        <translation>VAE 디코딩 (사용됨)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="63"/>
        <source>model folder</source>
        <translation>모델 폴더</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="64"/>
        <source>device</source>
        <translation>장치</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="65"/>
        <source>frames per second</source>
        <translation>초당 프레임</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="66"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="67"/>
        <source>PyTorch</source>
        <translation>PyTorch</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="68"/>
        <source>CUDA (PyTorch&apos;s build)</source>
        <translation>CUDA(PyTorch 빌드)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="69"/>
        <source>GPU driver</source>
        <translation>GPU 드라이버</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="70"/>
        <source>attention (asked)</source>
        <translation>어텐션(요청)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="71"/>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="72"/>
        <source>system</source>
        <translation>시스템</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="73"/>
        <source>Artifex version</source>
        <translation>Artifex 버전</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/names.py" line="74"/>
        <source>attention kernel</source>
        <translation>어텐션 커널</translation>
    </message>
</context>
<context>
    <name>PassCounter</name>
    <message>
        <location filename="../../artifex_gui/ui/pass_counter.py" line="26"/>
        <source>{0} steps × 1 pass</source>
        <translation>{0}스텝 × 1패스</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/pass_counter.py" line="27"/>
        <source>{0} steps × {1} passes</source>
        <translation>{0}스텝 × {1}패스</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/pass_counter.py" line="30"/>
        <source>Passes {0}/{1}</source>
        <translation>패스 {0}/{1}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/pass_counter.py" line="32"/>
        <source>{0} reused</source>
        <translation>{0}개 재사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/pass_counter.py" line="36"/>
        <source>DiT passes computed of those run so far; reused passes came from the step cache, and the factor is how many fewer passes ran</source>
        <translation>지금까지 실행한 DiT 패스 중 계산한 수입니다. 재사용한 패스는 스텝 캐시에서 왔고, 배수는 그만큼 적게 계산했다는 뜻입니다</translation>
    </message>
</context>
<context>
    <name>PreviewView</name>
    <message>
        <location filename="../../artifex_gui/ui/preview.py" line="36"/>
        <source>The preview of each step appears here</source>
        <translation>각 스텝의 미리보기가 여기에 표시됩니다</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="29"/>
        <source>Ready</source>
        <translation>준비</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="30"/>
        <source>Starting…</source>
        <translation>시작 중…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="31"/>
        <source>Generating</source>
        <translation>생성 중</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="32"/>
        <source>Cancelling…</source>
        <translation>취소 중…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="33"/>
        <source>Finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="34"/>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="35"/>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="38"/>
        <source>loading the model</source>
        <translation>모델 불러오는 중</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="39"/>
        <source>warming up (compiling)</source>
        <translation>워밍업 중(컴파일)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="40"/>
        <source>encoding the prompt</source>
        <translation>프롬프트 인코딩 중</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="41"/>
        <source>encoding the image</source>
        <translation>이미지 인코딩 중</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="42"/>
        <source>denoising</source>
        <translation>디노이징</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="43"/>
        <source>decoding frames</source>
        <translation>프레임 디코딩 중</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="44"/>
        <source>saving the video</source>
        <translation>영상 저장 중</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="86"/>
        <source>Step {0}/{1}</source>
        <translation>스텝 {0}/{1}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="89"/>
        <source>Load {0}%</source>
        <translation>로드 {0}%</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="90"/>
        <source>Step –</source>
        <translation>스텝 –</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="98"/>
        <source>{0} / {1} GiB · {2} / {3} tensors</source>
        <translation>{0} / {1} GiB · 텐서 {2} / {3}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="103"/>
        <source>this file {0}%</source>
        <translation>이 파일 {0}%</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="121"/>
        <source>Elapsed {0}</source>
        <translation>경과 {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="122"/>
        <source>ETA {0}</source>
        <translation>남은 시간 {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/progress_panel.py" line="126"/>
        <source>{0}×{1} · {2} frames ({3:.1f} s) · {4:,} tokens · {5} · {6} · seed {7}</source>
        <translation>{0}×{1} · {2}프레임({3:.1f}초) · 토큰 {4:,}개 · {5} · {6} · 시드 {7}</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../artifex_gui/ui/queue_panel.py" line="29"/>
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/queue_panel.py" line="31"/>
        <source>Clear queue</source>
        <translation>대기열 비우기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/queue_panel.py" line="52"/>
        <source>Queued jobs: {0}</source>
        <translation>대기 작업: {0}</translation>
    </message>
</context>
<context>
    <name>ResultPlayer</name>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="43"/>
        <location filename="../../artifex_gui/ui/result_player.py" line="87"/>
        <location filename="../../artifex_gui/ui/result_player.py" line="97"/>
        <source>Pause</source>
        <translation>일시정지</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="45"/>
        <source>Open folder</source>
        <translation>폴더 열기</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="47"/>
        <source>Copy path</source>
        <translation>경로 복사</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="70"/>
        <source>The finished video plays here</source>
        <translation>완성된 영상이 여기서 재생됩니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="76"/>
        <source>Video: {0}</source>
        <translation>영상: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="78"/>
        <source>Run report: {0}</source>
        <translation>실행 보고서: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="81"/>
        <source>Video playback is not available here ({0}). Use Open folder.</source>
        <translation>여기서는 영상을 재생할 수 없습니다({0}). 폴더 열기를 사용하세요.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="94"/>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/result_player.py" line="112"/>
        <source>The video cannot be played here: {0}</source>
        <translation>여기서는 영상을 재생할 수 없습니다: {0}</translation>
    </message>
</context>
<context>
    <name>RunController</name>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="130"/>
        <source>Model folder chosen: the model&apos;s own defaults are set ({0}×{1}, {2} frames, {3} steps).</source>
        <translation>모델 폴더를 선택함: 모델의 기본값으로 설정했습니다({0}×{1}, {2}프레임, {3}스텝).</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="132"/>
        <source>Demo model: quick settings are set ({0}×{1}, {2} frames, {3} steps); a run takes seconds.</source>
        <translation>데모 모델: 빠른 설정으로 바꿨습니다({0}×{1}, {2}프레임, {3}스텝). 몇 초면 끝납니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="150"/>
        <source>Engine ready. Attention backends that work here: {0}</source>
        <translation>엔진 준비됨. 여기서 작동하는 어텐션 백엔드: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="182"/>
        <source>Memory meters stopped: {0}</source>
        <translation>메모리 측정이 멈췄습니다: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="194"/>
        <source>Queued job #{0}; it starts when the current run ends.</source>
        <translation>작업 #{0}이(가) 대기열에 추가되었습니다. 현재 실행이 끝나면 시작합니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="220"/>
        <source>The model folder is incomplete: {0}</source>
        <translation>모델 폴더가 불완전합니다: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="221"/>
        <source>Download the missing files into the folder, choose another folder, or clear it to use the demo model.</source>
        <translation>없는 파일을 폴더에 내려받거나, 다른 폴더를 선택하거나, 비워서 데모 모델을 사용하세요.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="235"/>
        <source>The output folder cannot be created: {0}</source>
        <translation>출력 폴더를 만들 수 없습니다: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="236"/>
        <source>Choose another folder in Settings.</source>
        <translation>설정에서 다른 폴더를 선택하세요.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="284"/>
        <source>Cancelling: the engine stops after the current step.</source>
        <translation>취소 중: 엔진이 현재 스텝 후에 멈춥니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="291"/>
        <source>image-to-video</source>
        <translation>이미지→영상</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="291"/>
        <source>text-to-video</source>
        <translation>텍스트→영상</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="292"/>
        <source>demo model</source>
        <translation>데모 모델</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="293"/>
        <source>Starting {0} with {1} → {2}</source>
        <translation>{1}(으)로 {0} 시작 → {2}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_controller.py" line="323"/>
        <source>Starting queued job #{0}</source>
        <translation>대기 작업 #{0} 시작</translation>
    </message>
</context>
<context>
    <name>RunEntry</name>
    <message>
        <location filename="../../artifex_gui/model/history.py" line="75"/>
        <source>{0} frames</source>
        <translation>{0}프레임</translation>
    </message>
</context>
<context>
    <name>RunState</name>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="201"/>
        <source>Run started: {0}×{1}, {2} frames, {3} steps, seed {4}, {5} tokens, {6} on {7}, attention {8}, offload {9}</source>
        <translation>실행 시작: {0}×{1}, {2}프레임, {3}스텝, 시드 {4}, 토큰 {5}개, {7}에서 {6}, 어텐션 {8}, 오프로드 {9}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="208"/>
        <source> — demo model</source>
        <translation> — 데모 모델</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="215"/>
        <source>Attention: {0} → {1}, {2}, dropout {3}, {4}×{5} heads, query {6}, key {7}, cross key {8}</source>
        <translation>어텐션: {0} → {1}, {2}, 드롭아웃 {3}, 헤드 {4}×{5}, 쿼리 {6}, 키 {7}, 교차 키 {8}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="238"/>
        <source>{0} took {1} s</source>
        <translation>{0}: {1}초 걸림</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="273"/>
        <source>Loading the model: {0} to read</source>
        <translation>모델 로드 중: 읽을 크기 {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="281"/>
        <source>Copied {0}: {1} GiB in {2} s</source>
        <translation>{0} 복사: {2}초 동안 {1} GiB</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="297"/>
        <source>Finished in {0} s: {1}</source>
        <translation>{0}초 만에 완료: {1}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="303"/>
        <source>Failed ({0}): {1} {2}</source>
        <translation>실패({0}): {1} {2}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="309"/>
        <source>Cancelled during {0}.</source>
        <translation>{0} 중에 취소되었습니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/model/run_state.py" line="311"/>
        <source>Cancelled during start-up.</source>
        <translation>시작하는 중에 취소되었습니다.</translation>
    </message>
</context>
<context>
    <name>SamplingPresetBox</name>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="101"/>
        <source>Quality · 50 steps</source>
        <translation>품질 · 50 스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="102"/>
        <source>Faster · step caching</source>
        <translation>빠르게 · 스텝 캐시</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="103"/>
        <source>Distilled model · few steps</source>
        <translation>증류 모델 · 적은 스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="104"/>
        <source>Custom</source>
        <translation>사용자 지정</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="106"/>
        <source>Fills steps, guidance, solver and cache; every value stays editable</source>
        <translation>스텝, 가이던스, 솔버, 캐시를 채웁니다. 모든 값은 나중에 바꿀 수 있습니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="112"/>
        <source>off</source>
        <translation>끔</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="115"/>
        <source>first block</source>
        <translation>첫 블록</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="118"/>
        <source>Every pass computed</source>
        <translation>모든 패스를 계산합니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="120"/>
        <source>Calibrated on TI2V-5B (published ratios): about half the passes reused at 0.06</source>
        <translation>TI2V-5B용으로 보정됨(공개된 비율): 0.06에서 패스의 약 절반을 재사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="122"/>
        <source>No calibration: reuses while the predicted change stays small</source>
        <translation>보정 없음: 예측된 변화가 작은 동안 재사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="124"/>
        <source>First-block cache: runs block 0, reuses the rest while its change is small</source>
        <translation>첫 블록 캐시: 블록 0을 실행하고, 그 변화가 작은 동안 나머지를 재사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="133"/>
        <source>Reuse a DiT pass when the published rule says it barely changes</source>
        <translation>공개된 규칙이 거의 변하지 않는다고 판단하면 DiT 패스를 재사용합니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="138"/>
        <source>Higher reuses more passes (faster, further from the exact run); 0 reuses none</source>
        <translation>높을수록 더 많이 재사용합니다(더 빠르지만 정확한 실행과 더 달라짐). 0은 재사용하지 않습니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="143"/>
        <source>FastWan · 3 steps</source>
        <translation>FastWan · 3 스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="144"/>
        <source>Turbo · 4 steps</source>
        <translation>Turbo · 4 스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="146"/>
        <source>Which distilled checkpoint the model folder holds: sets its timesteps</source>
        <translation>모델 폴더에 있는 증류 체크포인트 종류: 그 타임스텝을 설정합니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="152"/>
        <source>Few-step timesteps, highest first, e.g. 1000,757,522</source>
        <translation>퓨스텝 타임스텝, 큰 값부터, 예: 1000,757,522</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="158"/>
        <source>Step cache</source>
        <translation>스텝 캐시</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="159"/>
        <source>threshold</source>
        <translation>임계값</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="160"/>
        <source>Timesteps</source>
        <translation>타임스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="172"/>
        <source>Preset</source>
        <translation>프리셋</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="253"/>
        <source>{0} DiT passes: one per step, guidance off</source>
        <translation>DiT 패스 {0}회: 스텝당 1회, 가이던스 끔</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="255"/>
        <source>up to {0} DiT passes; the cache reuses some of them</source>
        <translation>최대 DiT 패스 {0}회, 그중 일부는 캐시에서 재사용</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="257"/>
        <source>{0} DiT passes: guidance 1.0 runs one pass per step</source>
        <translation>DiT 패스 {0}회: 가이던스 1.0은 스텝당 1회만 실행</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/sampling_box.py" line="259"/>
        <source>{0} DiT passes (two per step: with and without the prompt)</source>
        <translation>DiT 패스 {0}회 (스텝당 2회: 프롬프트 있음/없음)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="29"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="32"/>
        <source>System language</source>
        <translation>시스템 언어</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="36"/>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="41"/>
        <source>A new language applies the next time Artifex starts.</source>
        <translation>새 언어는 Artifex를 다음에 시작할 때 적용됩니다.</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="53"/>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="55"/>
        <location filename="../../artifex_gui/ui/settings_dialog.py" line="61"/>
        <source>Save videos in</source>
        <translation>영상 저장 위치</translation>
    </message>
</context>
<context>
    <name>StepChart</name>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="104"/>
        <source>time since start</source>
        <translation>시작 후 시간</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="83"/>
        <source>step time</source>
        <translation>스텝 시간</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="83"/>
        <location filename="../../artifex_gui/ui/step_chart.py" line="114"/>
        <source>step</source>
        <translation>스텝</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="95"/>
        <source>Step times appear here when a run starts</source>
        <translation>실행이 시작되면 스텝 시간이 여기에 표시됩니다</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="115"/>
        <source>spike</source>
        <translation>스파이크</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="116"/>
        <source>host→device copy (size = bytes)</source>
        <translation>호스트→장치 복사(크기 = 바이트)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="249"/>
        <source>Step time</source>
        <translation>스텝 시간</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="117"/>
        <source>median</source>
        <translation>중앙값</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="118"/>
        <source>pass reused from the step cache</source>
        <translation>스텝 캐시에서 재사용한 패스</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="254"/>
        <source>Step time · median {0:.3g} s</source>
        <translation>스텝 시간 · 중앙값 {0:.3g} s</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="257"/>
        <source>1 spike &gt; {0}× median</source>
        <translation>급증 1개 &gt; 중앙값의 {0}배</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="259"/>
        <source>{0} spikes &gt; {1}× median</source>
        <translation>급증 {0}개 &gt; 중앙값의 {1}배</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="261"/>
        <source>{0} copied to the GPU</source>
        <translation>GPU로 {0} 복사</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="275"/>
        <source>Step {0}/{1}: {2:.3f} s ({3:.2f}× median)</source>
        <translation>스텝 {0}/{1}: {2:.3f}초(중앙값의 {3:.2f}배)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="278"/>
        <source>timestep {0:.0f}</source>
        <translation>타임스텝 {0:.0f}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="281"/>
        <source>cond</source>
        <translation>조건</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="281"/>
        <source>uncond</source>
        <translation>무조건</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="282"/>
        <location filename="../../artifex_gui/ui/step_chart.py" line="286"/>
        <source>passes: {0}</source>
        <translation>패스: {0}</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="283"/>
        <source>(reused)</source>
        <translation>(재사용)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="289"/>
        <source>copied {0} in {1:.3f} s ({2:.1f} GB/s)</source>
        <translation>{1:.3f}초에 {0} 복사({2:.1f} GB/s)</translation>
    </message>
    <message>
        <location filename="../../artifex_gui/ui/step_chart.py" line="291"/>
        <source>VRAM allocated {0}, peak {1}</source>
        <translation>VRAM 할당 {0}, 최대 {1}</translation>
    </message>
</context>
</TS>
