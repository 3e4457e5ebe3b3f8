"""The desk's words, in Vietnamese (the default) and English. A refusal is worded here by the id of its reason
(REASONS, ticker.desk.refusals), naming the form's field by its label; warnings and readability figures from the
library are shown as the CLI prints them, without the file's path."""

from __future__ import annotations

from ticker.desk.day_words import DAY_WORDS

WORDS: dict[str, tuple[str, str]] = {
    "desk": ("Bàn điều hành chạy chữ", "Crawl desk"),
    "campaigns": ("Chiến dịch", "Campaigns"),
    "new": ("Tạo từ công văn", "New from a letter"),
    "edit": ("Soạn", "Edit"),
    "approve": ("Duyệt", "Approve"),
    "schedule": ("Lịch phát", "Schedule"),
    "nights": ("Đêm", "Nights"),
    "reports": ("Báo cáo", "Reports"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "name": ("Tên", "Name"),
    "password": ("Mật khẩu", "Password"),
    "file": ("Tệp", "File"),
    "title": ("Tiêu đề", "Title"),
    "window": ("Thời gian", "Window"),
    "start": ("Từ ngày", "From"),
    "end": ("Đến ngày", "To"),
    "state": ("Trạng thái", "State"),
    "next_airing": ("Lần phát tới", "Next airing"),
    "readability": ("Dễ đọc", "Readability"),
    "ok": ("đạt", "fine"),
    "warnings": ("Cảnh báo", "Warnings"),
    "notes": ("Ghi chú", "Notes"),
    "errors": ("Lỗi", "Errors"),
    "none": ("không có", "none"),
    "is_draft": ("Còn là nháp (chưa phát)", "Still a draft (goes on no air)"),
    "message": ("Nội dung chạy chữ", "Crawl message"),
    "new_message": ("Thêm nội dung (để trống nếu không cần)", "Add a message (leave empty if none)"),
    "crossing": ("Thời gian chữ chạy qua màn hình (giây)", "Seconds the text takes to cross the picture"),
    "slot_at": ("Giờ phát (HH:MM, cách nhau bởi dấu phẩy)", "Airing times (HH:MM, comma separated)"),
    "slot_channels": ("Kênh (để trống: mọi kênh)", "Channels (empty: every channel)"),
    "queued": ("đang chờ", "queued"),
    "running": ("đang dựng", "rendering"),
    "done": ("xong", "done"),
    "failed": ("lỗi", "failed"),
    "slot_seconds": ("Thời lượng mỗi lần phát (giây)", "Length of each airing (seconds)"),
    "preset": ("Kiểu có sẵn", "Style preset"),
    "label": ("Nhãn đầu dải chữ", "Label at the band's start"),
    "qr_url": ("Địa chỉ mã QR", "QR code address"),
    "profile": ("Định dạng hình", "Picture profile"),
    "format": ("Định dạng tệp", "File format"),
    "loop": ("Vòng lặp", "Loop"),
    "save": ("Lưu", "Save"),
    "saved": ("Đã lưu", "Saved"),
    "date_hint": ("ngày/tháng/năm", "day/month/year"),
    "changes_requested": ("Cần sửa", "Changes requested"),
    "inbox": ("Việc đang chờ", "What waits"),
    "inbox_pending": ("Chờ duyệt", "Awaiting approval"),
    "inbox_changes": ("Cần sửa", "Changes requested"),
    "inbox_draft": ("Nháp", "Drafts"),
    "inbox_all": ("Tất cả", "All"),
    "login_again": ("Đăng nhập lại", "Log in again"),
    "archive": ("Kho lưu trữ", "Archive"),
    "edits": ("Lịch sử", "History"),
    "what_changed": ("Đã đổi gì", "What changed"),
    "act_saved": ("Lưu thay đổi", "Saved"),
    "act_approved": ("Duyệt", "Approved"),
    "act_revoked": ("Bỏ duyệt", "Approval withdrawn"),
    "act_voided": ("Phê duyệt mất hiệu lực do sửa", "Approval voided by a change"),
    "act_changes_requested": ("Yêu cầu sửa", "Changes requested"),
    "act_archived": ("Lưu trữ", "Archived"),
    "act_restored": ("Khôi phục", "Restored"),
    "archive_lead": (
        "Chiến dịch đã lưu trữ không phát và không hiện trong danh sách; khôi phục để dùng lại, nguyên như cũ.",
        "Archived campaigns do not air and are not listed; restore one to use it again, as it was.",
    ),
    "archived_at": ("Lưu trữ lúc", "Archived"),
    "restore": ("Khôi phục", "Restore"),
    "archive_it": ("Lưu trữ", "Archive"),
    "archive_confirm": (
        "Lưu trữ chiến dịch này? Nó sẽ không phát nữa và rời khỏi danh sách (khôi phục được từ kho lưu trữ).",
        "Archive this campaign? It will no longer air and leaves the list (it can be restored from the archive).",
    ),
    "voids": (
        "Thay đổi này đổi nội dung đã duyệt: khi lưu, chiến dịch cần duyệt lại và ngừng phát từ đêm nay cho đến khi "
        "được duyệt lại.",
        "This change alters what was approved: once saved, the campaign needs approving again and stops airing "
        "from tonight until it is.",
    ),
    "voids_confirm": (
        "Lưu thay đổi này? Chiến dịch sẽ cần duyệt lại và ngừng phát từ đêm nay cho đến khi được duyệt lại.",
        "Save this change? The campaign will need approving again and stops airing from tonight until it is.",
    ),
    "changed_since_request": (
        "Đã sửa từ khi được yêu cầu; chờ người duyệt xem lại.",
        "Changed since the request; waiting for an approver to look again.",
    ),
    "toml": ("Sửa trực tiếp tệp TOML", "Edit the TOML file itself"),
    "preview": ("Xem trước", "Preview"),
    "moving_preview": ("Xem trước chuyển động", "Moving preview"),
    "conflict": ("Người khác đã sửa tệp này", "Someone else changed this file"),
    "theirs": ("Tệp hiện tại trên đĩa", "The file on disk now"),
    "yours": ("Bản của bạn (chưa lưu)", "Your version (not saved)"),
    "letter": ("Công văn", "Letter"),
    "paste": ("Dán nội dung công văn", "Paste the letter"),
    "upload": ("hoặc tải tệp lên (.txt, .docx, .pdf)", "or upload it (.txt, .docx, .pdf)"),
    "make_draft": ("Tạo bản nháp", "Make the draft"),
    "save_as": ("Lưu thành tệp", "Save as file"),
    "approved_by": ("Đã duyệt bởi", "Approved by"),
    "by": ("Người duyệt", "Approver"),
    "note": ("Ý kiến", "Comment"),
    "do_approve": ("Duyệt cho phát", "Approve for air"),
    "request_changes": ("Yêu cầu sửa", "Request changes"),
    "proof": ("Trang duyệt", "Proof page"),
    "make_proof": ("Tạo trang duyệt", "Make the proof page"),
    "preview_first": (
        "Đoạn phim chỉ gồm {shown} giây đầu của vòng lặp {loop} giây; trang duyệt có toàn bộ dòng chữ.",
        "The clip shows only the first {shown} s of a {loop} s loop; the proof page has the whole text.",
    ),
    "approval_none": (
        "Chưa duyệt: chưa được phát cho đến khi người duyệt đồng ý.",
        "Not approved: it goes on no air until an approver says yes to it.",
    ),
    "approval_ok": ("Đã duyệt bởi {by} lúc {at}.", "Approved by {by} at {at}."),
    "approval_voided": (
        "Đã duyệt bởi {by} lúc {at}, nhưng sau đó đã sửa ({changed}): cần duyệt lại trước khi phát.",
        "Approved by {by} at {at}, but it changed since ({changed}): it must be approved again to air.",
    ),
    "week": ("Tuần", "Week"),
    "earlier": ("Tuần trước", "Previous week"),
    "later": ("Tuần sau", "Next week"),
    "time": ("Giờ", "Time"),
    "length": ("Thời lượng", "Length"),
    "channels": ("Kênh", "Channels"),
    "all_channels": ("mọi kênh", "every channel"),
    "files": ("Tệp phát", "Files"),
    "unapproved": ("chưa duyệt: không phát", "unapproved: not aired"),
    "draft_off": ("nháp: không phát", "draft: not aired"),
    "nothing_airs": ("Không có gì phát", "Nothing airs"),
    "day": ("Ngày", "Day"),
    "render_now": ("Dựng ngày này ngay", "Render this day now"),
    "urgent": ("Dựng ngay các chiến dịch bắt đầu hôm nay", "Render today's new campaigns now"),
    "qc": ("Kiểm tra", "QC"),
    "size": ("Dung lượng", "Size"),
    "checksum": ("Mã kiểm tra", "Checksum"),
    "qc_changed": ("đã bị thay đổi sau khi dựng", "changed since it was made"),
    "qc_foreign": ("không phải tệp ticker dựng: không tải về", "not a file ticker made: not served"),
    "log": ("Nhật ký", "Log"),
    "no_manifest": ("Chưa dựng ngày này", "This day has not been rendered"),
    "job": ("Tiến độ", "Progress"),
    "report_for": ("Báo cáo cho chiến dịch", "Report for the campaign"),
    "report_make": ("Lập báo cáo", "Make the report"),
    "report_no_station": (
        "Chưa có thông tin của đài (tên đơn vị, người ký) để ký báo cáo: hãy điền ở trang",
        "The station's names (who signs the report) are not set yet: fill them in on the page",
    ),
    "report_interim": (
        "Chiến dịch chưa kết thúc: báo cáo lập bây giờ là báo cáo sơ bộ, tính đến hôm nay; ngày sau ghi «chưa đến».",
        "The campaign has not ended: a report made now is an interim one, up to today; later days read «not yet».",
    ),
    "report_as_run": ("Nhật ký phát (nếu có)", "As-run log (if any)"),
    "report_as_run_hint": (
        "Nhật ký của máy phát được ghi vào hồ sơ trước khi lập báo cáo; gửi lại cùng tệp không ghi thêm gì.",
        "The playout log is recorded before the report is made; sending the same file again adds nothing.",
    ),
    "report_as_run_file": ("Nhật ký phát", "As-run log"),
    "report_as_run_kind": ("Loại nhật ký", "Kind of log"),
    "report_csv": ("Tệp CSV (start, channel, file)", "CSV (start, channel, file)"),
    "report_casparcg": ("Nhật ký CasparCG", "CasparCG log"),
    "report_channel": ("Kênh đã phát", "Channel played"),
    "report_still": ("Ảnh trên sóng", "Picture on air"),
    "download": ("Tải về", "Download"),
    "language": ("English", "Tiếng Việt"),
    "error": ("Có lỗi", "Something is wrong"),
    "back": ("Quay lại", "Back"),
    "api": ("API", "API"),
    "settings": ("Cài đặt đài", "Station settings"),
    "st_names": ("Tên đơn vị trên văn bản báo cáo", "The station's names on its letters"),
    "st_name": ("Tên đơn vị", "Organisation name"),
    "st_short": ("Tên viết tắt (cho số văn bản)", "Short name (for the letter's number)"),
    "st_place": ("Nơi (dòng ngày tháng)", "Place (the date line)"),
    "st_signer_title": ("Chức danh người ký", "Signer's title"),
    "st_signer": ("Người ký", "Signer"),
    "ch_name": ("Tên kênh", "Channel name"),
    "ch_picture": ("Định dạng hình", "Picture format"),
    "ch_essential": ("Kênh thiết yếu (không bao giờ được ngừng phát)", "Essential (never taken off air)"),
    "ch_network": ("Thông số truyền dẫn", "Transport stream"),
    "ch_add": ("Thêm kênh", "Add a channel"),
    "ch_remove": ("Bỏ kênh này", "Remove this channel"),
    "ch_none": ("Chưa có kênh nào.", "No channels yet."),
    "net_original_network_id": ("Mã mạng gốc (original_network_id)", "Original network id"),
    "net_transport_stream_id": ("Mã luồng truyền tải (transport_stream_id)", "Transport stream id"),
    "net_service_id": ("Mã dịch vụ (service_id)", "Service id"),
    "net_pmt_pid": ("PID bảng PMT", "PMT PID"),
    "net_video_pid": ("PID hình", "Video PID"),
    "net_audio_pid": ("PID tiếng", "Audio PID"),
    "net_service_type": (
        "Loại dịch vụ (để trống: theo bộ mã hóa và định dạng hình)",
        "Service type (empty: from the encoder and the picture format)",
    ),
    "net_encoder": ("Bộ mã hóa", "Encoder"),
    "net_preset": ("Mức nén của bộ mã hóa (preset)", "Encoder preset"),
    "net_bitrate": ("Tốc độ bit (như 4M hoặc 4000k)", "Bit rate (such as 4M or 4000k)"),
    "net_ttl": ("TTL (số bước mạng, mặc định 1)", "TTL (network hops, 1 by default)"),
    "net_interface": ("Giao diện mạng (như eth1)", "Network interface (such as eth1)"),
    "settings_saved": ("Đã lưu cài đặt đài.", "The station settings are saved."),
    "settings_unsaved": ("Chưa lưu: bấm «Lưu» để ghi các thay đổi.", "Not saved yet: press Save to keep the changes."),
    "settings_read_only": (
        "Bạn đang xem ở chế độ chỉ đọc: chỉ người duyệt mới được sửa cài đặt đài.",
        "Read only: only an approver may change the station settings.",
    ),
    "settings_none": (
        "Chưa có cài đặt đài; điền tên đơn vị và các kênh rồi bấm «Lưu» để tạo.",
        "There are no station settings yet; fill in the names and channels and press Save to make them.",
    ),
}
LANGS = ("vi", "en")

# A refusal's sentence by the id of its reason (ticker.errors.Refusal.why). {field}: the field's label; {value}:
# what was given; the rest are the refusal's facts. "": the words for a reason with none of its own.
REASONS: dict[str, tuple[str, str]] = {
    "": ("«{field}»: không dùng được giá trị {value}; hãy sửa lại.", "{field}: the value {value} cannot be used."),
    "required": ("«{field}»: cần điền mục này.", "{field}: this is required."),
    "toml": (
        "Tệp không đúng cú pháp TOML ở dòng {line}, cột {column}; hãy sửa trên trang TOML.",
        "The file is not valid TOML at line {line}, column {column}; fix it on the TOML page.",
    ),
    "toml-unplaced": (
        "Tệp không đúng cú pháp TOML; hãy sửa trên trang TOML.",
        "The file is not valid TOML; fix it on the TOML page.",
    ),
    "toml-deep": (
        "Tệp lồng bảng hoặc danh sách quá sâu; hãy sửa trên trang TOML.",
        "The file nests its tables or lists too deeply; fix it on the TOML page.",
    ),
    "name-taken": (
        "«{field}»: {value} đã là tên chiến dịch của tệp {other}; hãy đặt tên khác.",
        "{field}: {value} is already the campaign name of {other}; give another name.",
    ),
    "unknown-key": ("«{field}»: ticker không biết mục này.", "{field}: ticker knows no such key."),
    "type": ("«{field}»: giá trị {value} không đúng loại ({kind}).", "{field}: {value} is not {kind}."),
    "date": (
        "«{field}»: {value} không phải là ngày (ngày/tháng/năm, như 12/3/2020).",
        "{field}: {value} is not a date (day/month/year, such as 12/3/2020).",
    ),
    "order": (
        "«{field}»: ngày kết thúc {value} trước ngày bắt đầu {start}.",
        "{field}: the last day {value} is before the first day {start}.",
    ),
    "range": (
        "«{field}»: phải từ {lo} đến {hi}; đã nhập {value}.",
        "{field}: must be between {lo} and {hi}, not {value}.",
    ),
    "choice": (
        "«{field}»: phải là một trong {choices}; đã chọn {value}.",
        "{field}: must be one of {choices}, not {value}.",
    ),
    "colour": (
        "«{field}»: {value} không phải là màu (#RRGGBB hoặc tên màu như white).",
        "{field}: {value} is not a colour (#RRGGBB or a name such as white).",
    ),
    "empty": (
        "«{field}»: nội dung đang trống; hãy nhập chữ cần chạy.",
        "{field}: the message is empty; type its words.",
    ),
    "draft-words": (
        "«{field}»: vẫn là câu mẫu của bản nháp; hãy viết nội dung chạy chữ trước khi bỏ đánh dấu nháp.",
        "{field}: still the draft's stand-in words; write the crawl's own words before it leaves draft.",
    ),
    "placeholder": (
        "«{field}»: có chỗ điền {{{name}}} mà ticker không biết.",
        "{field}: holds a placeholder {{{name}}} ticker does not know.",
    ),
    "glyph": (
        "«{field}»: phông chữ không có ký tự {value} ({code}) ở dòng {line}, cột {column}; hãy gõ lại ký tự đó.",
        "{field}: the font has no character {value} ({code}) at line {line}, column {column}; retype it.",
    ),
    "legacy-encoding": (
        "«{field}»: ký tự {value} không viết được trong bảng mã đã chọn.",
        "{field}: the character {value} cannot be written in the encoding chosen.",
    ),
    "time": (
        "«{field}»: {value} không phải là giờ trong ngày (như 06:30, cách nhau bởi dấu phẩy).",
        "{field}: {value} is not a time of day (such as 06:30, comma separated).",
    ),
    "overlap": (
        "«{field}»: lần phát lúc {value} trùng với một lần phát khác trên cùng kênh.",
        "{field}: the airing at {value} overlaps another on the same channel.",
    ),
    "web-address": (
        "«{field}»: {value} không phải là địa chỉ web (bắt đầu bằng http:// hoặc https://, không có dấu cách).",
        "{field}: {value} is not a web address (http:// or https://, no spaces).",
    ),
    "qr-too-long": (
        "«{field}»: địa chỉ quá dài, mã QR không chứa hết.",
        "{field}: the address is too long for a QR code.",
    ),
    "progressive-only": (
        "«{field}»: định dạng {value} chỉ dùng cho hình quét liên tục; {profile} là hình quét xen kẽ.",
        "{field}: the format {value} is for progressive pictures; {profile} is interlaced.",
    ),
    "mxf-profiles": (
        "«{field}»: tệp MXF {value} chỉ làm ở 1080i50 (XDCAM HD422) và 576i50 (IMX50), không làm ở {profile}.",
        "{field}: the MXF format {value} is made at 1080i50 (XDCAM HD422) and 576i50 (IMX50), not at {profile}.",
    ),
    "mpeg2-level": (
        "«{field}»: MPEG-2 không mang được hình {profile}; hãy chọn ts-h264.",
        "{field}: MPEG-2 cannot carry {profile} pictures; choose ts-h264.",
    ),
    "mpeg2-bitrate": (
        "«{field}»: tốc độ bit vượt mức MPEG-2 cho phép ở {profile}.",
        "{field}: the bit rate is more than MPEG-2 allows at {profile}.",
    ),
    "h264-level": (
        "«{field}»: không mức H.264 High nào cho phép tốc độ bit này ở {profile}.",
        "{field}: no H.264 High level allows this bit rate at {profile}.",
    ),
    "needs-programme": (
        "«{field}»: định dạng {format} ghép chữ vào một chương trình; cần có tệp chương trình đi kèm.",
        "{field}: the format {format} burns the crawl into a programme; it needs the programme's file.",
    ),
    "overlay": (
        "«{field}»: định dạng {format} là lớp phủ; chương trình chỉ ghép được với ts-h264 hoặc ts-mpeg2.",
        "{field}: the format {format} is an overlay; a programme goes under ts-h264 or ts-mpeg2 only.",
    ),
    "target-format": (
        "«{field}»: máy chèn {value} không nhận định dạng {format}.",
        "{field}: the inserter {value} does not take the format {format}.",
    ),
    "target-fill": (
        "«{field}»: máy chèn {value} không nhận cặp fill+key kiểu {fill}; hãy bỏ trống mục fill.",
        "{field}: the inserter {value} does not take a {fill} fill+key pair; leave the fill out.",
    ),
    "invisible": (
        "«{field}»: có ký tự điều khiển hoặc ký tự ẩn ({code}); hãy gõ lại.",
        "{field}: holds a control or invisible character ({code}); retype it.",
    ),
    "taken": (
        "«{field}»: đã có một kênh khác tên {value}; mỗi kênh một tên.",
        "{field}: another channel is named {value}; each channel has its own name.",
    ),
    "same-pid": (
        "«{field}»: PID {pid} đã dùng cho một luồng khác của kênh này; mỗi luồng một PID.",
        "{field}: the PID {pid} is another stream's of this channel; each stream has its own.",
    ),
    "bitrate": (
        "«{field}»: {value} không phải là tốc độ bit (như 4M hoặc 4000k).",
        "{field}: {value} is not a bit rate (such as 4M or 4000k).",
    ),
    "outside-folder": (
        "«{field}»: tệp {value} nằm ngoài thư mục chiến dịch; bàn điều hành chỉ dùng tệp trong thư mục đó.",
        "{field}: the file {value} is outside the campaigns' folder; the desk uses only files in it.",
    ),
}
KINDS: dict[str, tuple[str, str]] = {
    "a number": ("cần một số", "a number"),
    "a string": ("cần chữ", "text"),
    "true or false": ("cần có hoặc không", "yes or no"),
    "a list": ("cần một danh sách", "a list"),
    "a table": ("cần một bảng", "a table"),
    "a date (YYYY-MM-DD)": ("cần một ngày", "a date"),
}  # the kinds Table.get names, as a field's sentence says them
FILE_WORDS = (
    "Tệp chiến dịch không đọc được (hãy sửa trên trang TOML): {said}",
    "The campaign file cannot be read (fix it on the TOML page): {said}",
)  # a refusal of the whole file, which no field names
STATION_WORDS: dict[str, tuple[str, str]] = {
    "conflict": (
        "Người khác đã sửa cài đặt đài sau khi bạn mở trang; chưa lưu gì. Hãy mở lại trang rồi sửa lại.",
        "Someone else changed the station settings since you opened the page; nothing was saved. Open it again.",
    ),
    "unread": (
        "Tệp cài đặt đài có vấn đề, cần người quản trị máy sửa: {said}",
        "The station file has a problem for the machine's administrator to fix: {said}",
    ),
    "broken": (
        "Cài đặt đài có lỗi; hãy sửa ở trang «Cài đặt đài» trước.",
        "The station settings have a mistake; fix them on the Station settings page first.",
    ),
}  # the station settings' own sentences (ticker.desk.settings), and a draft's when the station file is bad
BAND_WORDS = ("Chưa dựng được dải chữ: {said}", "The band cannot be made: {said}")  # any other refusal
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "400": (
        "Yêu cầu này không làm được; hãy kiểm tra những gì đã điền rồi thử lại.",
        "That request cannot be done; check what was filled in and try again.",
    ),
    "401": ("Hãy đăng nhập trước.", "Log in first."),
    "403": (
        "Bạn không có quyền làm việc này, hoặc trang đã mở quá lâu; hãy tải lại trang rồi làm lại.",
        "You may not do that, or the page was open too long; reload it and try again.",
    ),
    "404": ("Không có trang hoặc tệp này.", "No such page or file."),
    "405": ("Trang này không nhận cách gửi đó.", "This page does not take that kind of request."),
    "409": (
        "Tệp đã thay đổi từ khi mở trang; hãy mở lại trang rồi làm lại.",
        "The file changed since the page was opened; open it again and redo the change.",
    ),
    "413": ("Nội dung gửi lên quá lớn.", "What was sent is too large."),
    "422": (
        "Nội dung gửi lên không dùng được; hãy kiểm tra rồi thử lại.",
        "What was sent cannot be used; check it and try again.",
    ),
    "429": (
        "Đăng nhập sai quá nhiều lần; hãy đợi một lát rồi thử lại.",
        "Too many failed logins; wait a moment and try again.",
    ),
    "500": (
        "Có lỗi phía máy chủ; hãy báo người quản trị máy.",
        "Something failed on the server; tell its administrator.",
    ),
    "locked": (
        "Một đêm đang dựng tệp; hãy đợi nó xong rồi làm lại.",
        "A night is making its files; wait until it ends and try again.",
    ),
}  # a page's refusal that has no words of its own, by its HTTP status
UNREAD_WORDS = (
    "Tệp {file} không đọc được (là liên kết, thư mục, quá lớn, hoặc của người dùng khác).",
    "{file} cannot be read (a link, a folder, too large, or another user's).",
)  # a campaign file ticker will not read at all
UNKNOWN_WORDS = ("Một tệp chiến dịch không đọc được; hãy báo người quản trị máy.",
                 "A campaign file cannot be read; tell the machine's administrator.")  # fmt: skip


def words(lang: str) -> dict[str, str]:
    i = 1 if lang == "en" else 0
    return {k: v[i] for k, v in (WORDS | DAY_WORDS).items()}
