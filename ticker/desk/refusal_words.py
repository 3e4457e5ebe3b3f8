"""The desk's words for what it refuses, in Vietnamese and English: a refusal by the id of its reason (REASONS,
ticker.desk.refusals), naming the form's field by its label; the kinds of value a field must hold; the station
settings' own sentences; and a page's refusal with no words of its own, by its HTTP status."""

from __future__ import annotations

# A refusal's sentence by the id of its reason (ticker.errors.Refusal.why). {field}: the field's label; {value}:
# what was given; the rest are the refusal's facts. "": the words for a reason with none of its own.
REASONS: dict[str, tuple[str, str]] = {
    "": ("«{field}»: không dùng được giá trị {value}; hãy sửa lại.", "{field}: the value {value} cannot be used."),
    "required": ("«{field}»: cần điền mục này.", "{field}: this is required."),
    "font-unusable": (
        "«{field}»: phông chữ {font} không dùng được (hỏng, bị cắt dở, hoặc không phải phông chữ).",
        "{field}: the font {font} cannot be used (damaged, cut short, or not a font).",
    ),
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
NIGHT_UNREAD_WORDS = ("Tệp {file}: đêm đó không đọc được tệp chiến dịch này, nên không dựng gì cho nó.",
                      "{file}: the night could not read this campaign file, so made nothing of it.")  # fmt: skip
UNREAD_WORDS = (
    "Tệp {file} không đọc được (là liên kết, thư mục, quá lớn, hoặc của người dùng khác).",
    "{file} cannot be read (a link, a folder, too large, or another user's).",
)  # a campaign file ticker will not read at all
UNKNOWN_WORDS = ("Một tệp chiến dịch không đọc được; hãy báo người quản trị máy.",
                 "A campaign file cannot be read; tell the machine's administrator.")  # fmt: skip
