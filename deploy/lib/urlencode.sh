# Sourced by deploy scripts. urlencode STRING: STRING escaped for one segment of a URL path (the management API's
# vhost, user and queue names).
urlencode() {
    local s=$1 out='' c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
            [a-zA-Z0-9._~-]) out+=$c ;;
            *) printf -v c '%%%02X' "'$c"; out+=$c ;;
        esac
    done
    printf '%s' "$out"
}
